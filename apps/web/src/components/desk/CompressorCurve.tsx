"use client";
/**
 * The compressor's transfer curve: output level against input level for a steady signal, from dsp's
 * `compressorCurveDb` (Eq. 4's knee and ratio, the make-up and the parallel mix, as the render applies
 * them). The threshold is marked and the dashed diagonal is "no change", so a student sees what
 * threshold, ratio and knee do before hearing it.
 */
import type { ParamValue } from "@comaster/chain";
import { compressorCurveDb } from "@comaster/dsp";
import { useMemo } from "react";

const SIZE = 120;
const FLOOR_DB = -60;
const TOP_DB = 0;
const LEVELS = Array.from({ length: 121 }, (_, i) => FLOOR_DB + (i * (TOP_DB - FLOOR_DB)) / 120);

/** Position of a level (dB) along either axis, clamped to the plot. */
function levelToPx(db: number): number {
  const clamped = Math.max(FLOOR_DB, Math.min(TOP_DB, db));
  return ((clamped - FLOOR_DB) / (TOP_DB - FLOOR_DB)) * SIZE;
}

export function CompressorCurve({ params }: { params: Readonly<Record<string, ParamValue>> }) {
  const p = params as unknown as Parameters<typeof compressorCurveDb>[0];
  const path = useMemo(
    () =>
      LEVELS.map(
        (x, i) =>
          `${i === 0 ? "M" : "L"}${levelToPx(x).toFixed(1)},${(SIZE - levelToPx(compressorCurveDb(p, x))).toFixed(1)}`,
      ).join(""),
    [p],
  );
  const t = levelToPx(p.thresholdDb);
  return (
    <div className="flex items-center gap-3 rounded-lg border border-zinc-800 bg-zinc-950/70 p-2">
      <svg
        data-testid="compressor-curve"
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        className="block h-24 w-24 shrink-0"
        role="img"
        aria-label={`Compressor curve: threshold ${p.thresholdDb} dB, ratio ${p.ratio}:1, knee ${p.kneeDb} dB`}
      >
        {[-48, -36, -24, -12].map((db) => (
          <g key={db} stroke="#27272a" strokeWidth={1}>
            <line x1={levelToPx(db)} x2={levelToPx(db)} y1={0} y2={SIZE} />
            <line x1={0} x2={SIZE} y1={SIZE - levelToPx(db)} y2={SIZE - levelToPx(db)} />
          </g>
        ))}
        <line x1={0} y1={SIZE} x2={SIZE} y2={0} stroke="#52525b" strokeWidth={1} strokeDasharray="3 3" />
        <line x1={t} x2={t} y1={0} y2={SIZE} stroke="#f59e0b" strokeWidth={1} strokeOpacity={0.6} />
        <path data-testid="compressor-curve-path" d={path} fill="none" stroke="#38bdf8" strokeWidth={2} />
      </svg>
      <p className="text-[11px] leading-snug text-zinc-400">
        Output against input level. Above the <span className="text-amber-400">threshold</span> each {p.ratio} dB in
        gives 1 dB out{p.kneeDb > 0 ? `, eased in over a ${p.kneeDb} dB knee` : ""}.
      </p>
    </div>
  );
}
