"use client";
/**
 * A rotary knob for a continuous parameter. Drag vertically (Shift: ten times finer), scroll the
 * wheel over it, or use the keys (arrows, Shift+arrows fine, PageUp/PageDown, Home/End);
 * double-click returns to the default. Writes are coalesced to at most one per animation frame,
 * and a drag is reported as one gesture so it becomes one undo step.
 */
import type { NumberParamSpec } from "@comaster/chain";
import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from "react";
import {
  displayValue,
  dragPosition,
  keyFraction,
  nudge,
  positionToValue,
  roundToStep,
  valueToPosition,
  wheelFraction,
} from "./knobMath";

export interface KnobProps {
  spec: NumberParamSpec;
  value: number;
  /** Accessible name (the parameter's full label). */
  label: string;
  /** Id of the element describing range and default. */
  describedBy?: string;
  disabled?: boolean;
  /** Drawn grey (its module is bypassed). */
  muted?: boolean;
  /** Colour of a ring drawn when someone else has this control in hand. */
  ringColor?: string;
  onChange(value: number): void;
  onGestureStart(): void;
  onGestureEnd(): void;
  onFocus(): void;
}

const SIZE = 44;
const C = SIZE / 2;
const R = 16;
const SWEEP = 270; // degrees of travel, from −135° (min) to +135° (max), 0° pointing up

function point(angleDeg: number, radius: number): [number, number] {
  const a = ((angleDeg - 90) * Math.PI) / 180;
  return [C + radius * Math.cos(a), C + radius * Math.sin(a)];
}

function arc(from: number, to: number): string {
  const [x0, y0] = point(from, R);
  const [x1, y1] = point(to, R);
  const large = to - from > 180 ? 1 : 0;
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${R} ${R} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

export function Knob(props: KnobProps) {
  const { spec, value, label, describedBy, disabled = false, muted = false, ringColor } = props;
  const [local, setLocal] = useState<number | null>(null);
  const shown = local ?? value;
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const pending = useRef<number | null>(null);
  const frame = useRef<number | null>(null);
  const drag = useRef<{ pointerId: number; lastY: number; position: number } | null>(null);

  /** Sends the newest pending value now. */
  const flush = () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    const v = pending.current;
    pending.current = null;
    if (v !== null) latest.current.onChange(v);
    if (!drag.current) setLocal(null);
  };

  /** Shows `v` at once and writes it to the document at the next animation frame at the latest. */
  const write = (v: number) => {
    setLocal(v);
    pending.current = v;
    if (frame.current === null) frame.current = requestAnimationFrame(flush);
  };

  const current = () => pending.current ?? latest.current.value;
  // The native wheel listener below is attached once; it reaches the current render through this ref.
  const wheelRef = useRef<(deltaY: number, fine: boolean) => void>(() => {});
  wheelRef.current = (deltaY, fine) => write(nudge(current(), latest.current.spec, wheelFraction(deltaY, fine)));

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  // The wheel listener must be non-passive to keep the page from scrolling while the knob turns.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const p = latest.current;
      if (p.disabled || e.deltaY === 0) return;
      e.preventDefault();
      wheelRef.current(e.deltaY, e.shiftKey);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (disabled || e.button !== 0) return;
    e.preventDefault();
    ref.current?.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, lastY: e.clientY, position: valueToPosition(current(), spec) };
    props.onGestureStart();
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    d.position = dragPosition(d.position, e.clientY - d.lastY, e.shiftKey);
    d.lastY = e.clientY;
    const v = roundToStep(positionToValue(d.position, spec), spec);
    if (v !== current()) write(v);
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    flush();
    setLocal(null);
    props.onGestureEnd();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (disabled) return;
    let next: number | null = null;
    switch (e.key) {
      case "ArrowUp":
      case "ArrowRight":
        next = nudge(current(), spec, keyFraction(e.shiftKey));
        break;
      case "ArrowDown":
      case "ArrowLeft":
        next = nudge(current(), spec, -keyFraction(e.shiftKey));
        break;
      case "PageUp":
        next = nudge(current(), spec, keyFraction(e.shiftKey, true));
        break;
      case "PageDown":
        next = nudge(current(), spec, -keyFraction(e.shiftKey, true));
        break;
      case "Home":
        next = spec.min;
        break;
      case "End":
        next = spec.max;
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next !== current()) write(next);
  };

  const position = valueToPosition(shown, spec);
  const start = -SWEEP / 2;
  const angle = start + position * SWEEP;
  // Bipolar parameters (e.g. gain −18…+18 dB) light the arc from the centre (0), the rest from the start.
  const zeroAt = spec.min < 0 && spec.max > 0 ? start + valueToPosition(0, spec) * SWEEP : start;
  const [from, to] = angle >= zeroAt ? [zeroAt, angle] : [angle, zeroAt];
  const [ix, iy] = point(angle, R - 6);
  const text = displayValue(spec, shown);

  return (
    <div
      ref={ref}
      role="slider"
      tabIndex={disabled ? -1 : 0}
      aria-label={label}
      aria-describedby={describedBy}
      aria-valuemin={spec.min}
      aria-valuemax={spec.max}
      aria-valuenow={roundToStep(shown, spec)}
      aria-valuetext={text}
      aria-disabled={disabled || undefined}
      aria-orientation="vertical"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onKeyDown={onKeyDown}
      onKeyUp={() => flush()}
      onDoubleClick={() => !disabled && latest.current.onChange(spec.default)}
      onFocus={props.onFocus}
      className={`relative touch-none select-none rounded-full outline-none focus-visible:ring-2 focus-visible:ring-sky-400 focus-visible:ring-offset-2 focus-visible:ring-offset-zinc-900 ${disabled ? "cursor-default" : "cursor-ns-resize"}`}
      style={ringColor ? { boxShadow: `0 0 0 2px ${ringColor}` } : undefined}
    >
      <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} aria-hidden="true">
        <circle cx={C} cy={C} r={R - 3} className="fill-zinc-800 stroke-zinc-700" strokeWidth={1} />
        <path
          d={arc(start, start + SWEEP)}
          className="stroke-zinc-700"
          strokeWidth={3}
          fill="none"
          strokeLinecap="round"
        />
        {to - from > 0.5 && (
          <path
            d={arc(from, to)}
            className={muted ? "stroke-zinc-500" : "stroke-sky-400"}
            strokeWidth={3}
            fill="none"
            strokeLinecap="round"
          />
        )}
        <line
          x1={C}
          y1={C}
          x2={ix}
          y2={iy}
          className={muted ? "stroke-zinc-400" : "stroke-zinc-100"}
          strokeWidth={2}
          strokeLinecap="round"
        />
      </svg>
    </div>
  );
}
