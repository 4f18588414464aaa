"use client";
/**
 * One parameter of a module: a knob with its value (click it to type one) for numbers, a select for
 * choices, a switch for on/off. The tooltip (hover or keyboard focus) gives range and default.
 */
import {
  type BooleanParamSpec,
  type EnumParamSpec,
  formatParamValue,
  type NumberParamSpec,
  type ParamSpec,
  type ParamValue,
} from "@comaster/chain";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Knob } from "./Knob";
import { displayValue, entryText, parseEntry, rangeHint } from "./knobMath";

export interface ParamControlProps {
  moduleId: string;
  spec: ParamSpec;
  value: ParamValue | undefined;
  /** Text shown above the control (may be shorter than `spec.label`, e.g. inside a band group). */
  shortLabel: string;
  disabled: boolean;
  muted: boolean;
  /** Colour of someone else who has this control in hand. */
  peerColor?: string;
  /** Writes the value; returns why it was refused, or null. */
  onChange(value: ParamValue): string | null;
  onGestureStart(): void;
  onGestureEnd(): void;
  onFocus(): void;
}

const focusRing = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400";

function Tooltip({ id, children }: { id: string; children: ReactNode }) {
  return (
    <span
      id={id}
      role="tooltip"
      className="pointer-events-none absolute bottom-full left-1/2 z-20 mb-1 hidden -translate-x-1/2 whitespace-nowrap rounded bg-zinc-950 px-2 py-1 text-xs text-zinc-200 shadow-lg ring-1 ring-zinc-700 group-focus-within:block group-hover:block"
    >
      {children}
    </span>
  );
}

export function ParamControl(props: ParamControlProps) {
  const { spec } = props;
  const tipId = useId();
  const hint =
    spec.kind === "number"
      ? rangeHint(spec)
      : spec.kind === "enum"
        ? `${spec.options.map((o) => formatParamValue(spec, o)).join(" / ")} \u00b7 default ${formatParamValue(spec, spec.default)}`
        : `default ${formatParamValue(spec, spec.default)}`;
  return (
    <div
      className="group relative flex min-w-0 flex-col items-center gap-1 text-center"
      data-testid={`param-${props.moduleId}-${spec.key}`}
    >
      <Tooltip id={tipId}>
        {spec.label}: {hint}
      </Tooltip>
      <span className="w-full truncate text-[11px] leading-tight text-zinc-400" aria-hidden="true">
        {props.shortLabel}
      </span>
      {spec.kind === "number" ? (
        <NumberControl {...props} spec={spec} tipId={tipId} />
      ) : spec.kind === "enum" ? (
        <EnumControl {...props} spec={spec} tipId={tipId} />
      ) : (
        <BooleanControl {...props} spec={spec} tipId={tipId} />
      )}
    </div>
  );
}

function NumberControl(props: ParamControlProps & { spec: NumberParamSpec; tipId: string }) {
  const { spec, moduleId, disabled } = props;
  const value = typeof props.value === "number" ? props.value : spec.default;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // The entry is open (a blur that follows Enter or Escape must not commit again).
  const editing = useRef(false);
  // Give focus back to the value button once the entry closes from the keyboard.
  const refocus = useRef(false);
  const valueButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (draft === null && refocus.current) {
      refocus.current = false;
      valueButton.current?.focus();
    }
  }, [draft]);

  const change = (v: number) => setError(props.onChange(v));

  const commit = (): boolean => {
    if (draft === null) return true;
    const parsed = parseEntry(draft, spec);
    if (!parsed.ok) {
      setError(parsed.error);
      return false;
    }
    const refused = props.onChange(parsed.value);
    setError(refused);
    if (refused) return false;
    editing.current = false;
    setDraft(null);
    return true;
  };

  return (
    <>
      <Knob
        spec={spec}
        value={value}
        label={spec.label}
        describedBy={props.tipId}
        disabled={disabled}
        muted={props.muted}
        ringColor={props.peerColor}
        onChange={change}
        onGestureStart={props.onGestureStart}
        onGestureEnd={props.onGestureEnd}
        onFocus={props.onFocus}
      />
      {draft === null ? (
        <button
          ref={valueButton}
          type="button"
          disabled={disabled}
          onClick={() => {
            setError(null);
            editing.current = true;
            setDraft(entryText(spec, value));
          }}
          onFocus={props.onFocus}
          aria-label={`Type a value for ${spec.label}`}
          aria-describedby={props.tipId}
          className={`max-w-full truncate rounded px-1 font-mono text-xs text-zinc-100 hover:bg-zinc-800 disabled:hover:bg-transparent ${focusRing}`}
        >
          {displayValue(spec, value)}
        </button>
      ) : (
        <input
          // biome-ignore lint/a11y/noAutofocus: opened by a click on the value, typing follows at once
          autoFocus
          type="text"
          inputMode="decimal"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onFocus={(e) => {
            e.currentTarget.select();
            props.onFocus();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              refocus.current = true;
              if (!commit()) refocus.current = false;
            } else if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              editing.current = false;
              refocus.current = true;
              setDraft(null);
              setError(null);
            }
          }}
          onBlur={() => {
            if (!editing.current) return;
            // Clicking away keeps a valid value and drops an invalid one (its error stays shown).
            if (!commit()) {
              editing.current = false;
              setDraft(null);
            }
          }}
          aria-label={`${spec.label} value`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : props.tipId}
          data-testid={`param-input-${moduleId}-${spec.key}`}
          className={`w-20 rounded border border-zinc-600 bg-zinc-950 px-1 py-0.5 text-center font-mono text-xs text-zinc-100 ${focusRing}`}
        />
      )}
      {error && (
        <p id={errorId} role="alert" className="w-full max-w-[10rem] text-[11px] leading-tight text-red-300">
          {error}
        </p>
      )}
    </>
  );
}

function EnumControl(props: ParamControlProps & { spec: EnumParamSpec; tipId: string }) {
  const { spec } = props;
  const value = typeof props.value === "string" ? props.value : spec.default;
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <select
        value={value}
        disabled={props.disabled}
        onChange={(e) => {
          setError(props.onChange(e.target.value));
        }}
        onFocus={props.onFocus}
        aria-label={spec.label}
        aria-describedby={props.tipId}
        className={`max-w-full rounded border border-zinc-700 bg-zinc-900 px-1 py-1 text-xs text-zinc-100 disabled:text-zinc-500 ${focusRing}`}
      >
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {formatParamValue(spec, o)}
          </option>
        ))}
      </select>
      {error && <p className="text-[11px] text-red-300">{error}</p>}
    </>
  );
}

function BooleanControl(props: ParamControlProps & { spec: BooleanParamSpec; tipId: string }) {
  const { spec } = props;
  const on = typeof props.value === "boolean" ? props.value : spec.default;
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={spec.label}
        aria-describedby={props.tipId}
        disabled={props.disabled}
        onClick={() => {
          setError(props.onChange(!on));
        }}
        onFocus={props.onFocus}
        className={`relative h-5 w-9 rounded-full transition-colors disabled:cursor-not-allowed ${on ? (props.muted ? "bg-zinc-500" : "bg-sky-500") : "bg-zinc-700"} ${focusRing}`}
      >
        <span
          aria-hidden="true"
          className={`absolute top-0.5 left-0.5 h-4 w-4 rounded-full bg-zinc-100 transition-transform ${on ? "translate-x-4" : ""}`}
        />
      </button>
      <span className="text-[11px] text-zinc-400" aria-hidden="true">
        {on ? "on" : "off"}
      </span>
      {error && <p className="text-[11px] text-red-300">{error}</p>}
    </>
  );
}
