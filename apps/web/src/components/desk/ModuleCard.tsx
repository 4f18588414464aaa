"use client";
/**
 * One module of the chain on the desk: its name, bypass, move and remove buttons, who else is on it,
 * its gain reduction while the preview plays (dynamics modules), the EQ's response curve and the
 * compressor's transfer curve, and its parameters (EQ and multiband bands grouped per band).
 *
 * Accessible names stay generic ("Bypass", "Move left") and point at the module's heading through
 * `aria-describedby`: module names such as "Output format" or "Loudness target" must not become
 * labels, or they would clash with the render form's "Format" and "Loudness target" fields.
 */
import { type ChainModule, MODULE_SPECS, type ParamSpec, type ParamValue } from "@comaster/chain";
import { useId } from "react";
import type { Peer } from "../../client/collab/useCollabRoom";
import type { GainReductionReadings } from "../../preview/gainReductionReadings";
import { CompressorCurve } from "./CompressorCurve";
import { EQ_BAND_COLORS, EqCurve } from "./EqCurve";
import { GAIN_REDUCTION_TYPES, GainReductionMeter } from "./GainReductionMeter";
import { ParamControl } from "./ParamControl";

export interface ModuleCardProps {
  module: ChainModule;
  index: number;
  count: number;
  canEdit: boolean;
  /** Other people (not this tab) whose focus is on this module. */
  peers: readonly Peer[];
  /** The preview's gain reduction readings (null: no preview running). */
  gainReduction?: GainReductionReadings | null;
  /** The mix's sample rate, for the EQ curve (null: none yet, drawn at 48 kHz). */
  sampleRate?: number | null;
  onBypass(bypass: boolean): void;
  onMove(to: number): void;
  onRemove(): void;
  /** Writes a parameter; returns why it was refused, or null. */
  onParam(key: string, value: ParamValue): string | null;
  onGestureStart(): void;
  onGestureEnd(): void;
  onFocus(paramKey: string | null): void;
}

const BAND_KEY = /^b(\d+)[A-Z]/;

interface Group {
  band: number | null;
  specs: ParamSpec[];
}

/** Params outside bands first, then one group per band, in spec order. */
function groupParams(specs: readonly ParamSpec[]): Group[] {
  const plain: ParamSpec[] = [];
  const bands = new Map<number, ParamSpec[]>();
  for (const s of specs) {
    const m = BAND_KEY.exec(s.key);
    if (!m) plain.push(s);
    else {
      const n = Number(m[1]);
      bands.set(n, [...(bands.get(n) ?? []), s]);
    }
  }
  const groups: Group[] = plain.length > 0 ? [{ band: null, specs: plain }] : [];
  for (const [band, list] of bands) groups.push({ band, specs: list });
  return groups;
}

/** "Band 2 frequency" → "Frequency" inside the band 2 group. */
function shortLabel(spec: ParamSpec, band: number | null): string {
  if (band === null) return spec.label;
  const rest = spec.label.replace(new RegExp(`^Band ${band}\\s+`), "");
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

const iconButton =
  "inline-flex h-7 min-w-7 items-center justify-center rounded-md px-1.5 text-sm text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 disabled:cursor-not-allowed disabled:text-zinc-600 disabled:hover:bg-transparent focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-400";

export function ModuleCard(props: ModuleCardProps) {
  const { module, index, count, canEdit, peers, gainReduction } = props;
  const spec = MODULE_SPECS[module.type];
  const headingId = useId();
  const params = module.params as Record<string, ParamValue>;
  const groups = groupParams(spec.params);
  const muted = module.bypass;
  // Banded modules (EQ, multiband) get a wider card with one column per band.
  const plain = groups.find((g) => g.band === null);
  const bands = groups.filter((g) => g.band !== null);
  const banded = bands.length > 0;
  const colorOf = (key: string) =>
    peers.find((p) => p.focus?.moduleId === module.id && p.focus.paramKey === key)?.user.color;

  const control = (s: ParamSpec, band: number | null) => (
    <ParamControl
      key={s.key}
      moduleId={module.id}
      spec={s}
      value={params[s.key]}
      shortLabel={shortLabel(s, band)}
      disabled={!canEdit}
      muted={muted}
      peerColor={colorOf(s.key)}
      onChange={(v) => props.onParam(s.key, v)}
      onGestureStart={props.onGestureStart}
      onGestureEnd={props.onGestureEnd}
      onFocus={() => props.onFocus(s.key)}
    />
  );

  return (
    <article
      data-testid={`module-${module.type}`}
      data-module-id={module.id}
      data-bypassed={module.bypass || undefined}
      className={`${banded ? "w-[40rem]" : "w-72"} shrink-0 rounded-xl border bg-zinc-900 ${module.bypass ? "border-zinc-800 border-dashed" : "border-zinc-700"}`}
    >
      <header className="flex items-center gap-1 border-b border-zinc-800 px-3 py-2">
        <h3
          id={headingId}
          title={spec.description}
          className={`min-w-0 flex-1 truncate text-sm font-semibold ${module.bypass ? "text-zinc-500 line-through decoration-zinc-600" : "text-zinc-100"}`}
        >
          {spec.label}
        </h3>
        <div data-testid="module-presence" className="flex -space-x-1">
          {peers.map((p) => (
            <span
              key={p.clientId}
              data-user-name={p.user.name}
              title={`${p.user.name} is on ${spec.label}`}
              className="h-3 w-3 rounded-full ring-2 ring-zinc-900"
              style={{ backgroundColor: p.user.color }}
            />
          ))}
        </div>
        <button
          type="button"
          aria-pressed={module.bypass}
          aria-describedby={headingId}
          onFocus={() => props.onFocus(null)}
          disabled={!canEdit}
          onClick={() => props.onBypass(!module.bypass)}
          title={module.bypass ? `${spec.label} is bypassed: turn it back on` : `Bypass ${spec.label}`}
          className={`${iconButton} text-xs font-medium ${module.bypass ? "bg-amber-500/20 text-amber-200 hover:bg-amber-500/30" : ""}`}
        >
          Bypass
        </button>
        <button
          type="button"
          aria-label="Move left"
          aria-describedby={headingId}
          onFocus={() => props.onFocus(null)}
          disabled={!canEdit || index === 0}
          onClick={() => props.onMove(index - 1)}
          title={`Move ${spec.label} earlier in the chain`}
          className={iconButton}
        >
          <span aria-hidden="true">{"\u2190"}</span>
        </button>
        <button
          type="button"
          aria-label="Move right"
          aria-describedby={headingId}
          onFocus={() => props.onFocus(null)}
          disabled={!canEdit || index === count - 1}
          onClick={() => props.onMove(index + 1)}
          title={`Move ${spec.label} later in the chain`}
          className={iconButton}
        >
          <span aria-hidden="true">{"\u2192"}</span>
        </button>
        <button
          type="button"
          aria-label="Remove module"
          aria-describedby={headingId}
          onFocus={() => props.onFocus(null)}
          disabled={!canEdit}
          onClick={props.onRemove}
          title={`Remove ${spec.label} from the chain`}
          className={`${iconButton} hover:text-red-300`}
        >
          <span aria-hidden="true">{"\u00d7"}</span>
        </button>
      </header>
      {gainReduction && GAIN_REDUCTION_TYPES.has(module.type) && (
        <GainReductionMeter readings={gainReduction} moduleId={module.id} describedBy={headingId} muted={muted} />
      )}
      <div className={`space-y-3 p-3 transition-opacity ${muted ? "opacity-50 grayscale" : ""}`}>
        {module.type === "eq" && (
          <EqCurve
            params={params}
            sampleRate={props.sampleRate ?? null}
            canEdit={canEdit}
            onParam={props.onParam}
            onGestureStart={props.onGestureStart}
            onGestureEnd={props.onGestureEnd}
            onFocus={props.onFocus}
          />
        )}
        {module.type === "compressor" && <CompressorCurve params={params} />}
        {plain && (
          <div
            className="grid gap-x-2 gap-y-3"
            style={{ gridTemplateColumns: `repeat(${banded ? Math.max(bands.length, 3) : 3}, minmax(0, 1fr))` }}
          >
            {plain.specs.map((s) => control(s, null))}
          </div>
        )}
        {banded && (
          // One column per band, its controls top to bottom, as on a console's channel strip: the six
          // bands of the EQ side by side under their curve instead of six rows of knobs.
          <div className="grid gap-1.5" style={{ gridTemplateColumns: `repeat(${bands.length}, minmax(0, 1fr))` }}>
            {bands.map((g) => (
              <fieldset
                key={g.band}
                data-testid={`band-${g.band}`}
                className="min-w-0 space-y-2 rounded-lg border border-zinc-800 px-1 pt-0.5 pb-2"
              >
                <legend className="px-1 text-[11px] font-medium uppercase tracking-wide text-zinc-400">
                  {module.type === "eq" && (
                    <span
                      aria-hidden="true"
                      className="mr-1 inline-block h-2 w-2 rounded-full"
                      style={{ backgroundColor: EQ_BAND_COLORS[(g.band ?? 1) - 1] }}
                    />
                  )}
                  Band {g.band}
                </legend>
                {g.specs.map((s) => control(s, g.band))}
              </fieldset>
            ))}
          </div>
        )}
      </div>
    </article>
  );
}
