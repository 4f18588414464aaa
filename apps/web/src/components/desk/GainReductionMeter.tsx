"use client";
/**
 * How much a dynamics module (compressor, multiband, de-esser, limiter) turns the gain down, while
 * the preview plays: a bar from 0 to −24 dB and the figure. The readings come from the chain
 * worklet ~30 times a second, each the peak over its interval (preview/gainReductionReadings.ts).
 * Nothing shows while the preview is stopped.
 */
import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";
import type { GainReductionReadings } from "../../preview/gainReductionReadings";
import { formatReduction, GainReductionDisplay } from "./gainReductionDisplay";

/** The module types that report gain reduction (packages/dsp's processors with `gainReductionDb`). */
export const GAIN_REDUCTION_TYPES: ReadonlySet<string> = new Set(["compressor", "multiband", "deesser", "limiter"]);

/** The bar's full scale, dB of reduction. */
const RANGE_DB = 24;

export function GainReductionMeter({
  readings,
  moduleId,
  describedBy,
  muted = false,
}: {
  readings: GainReductionReadings;
  moduleId: string;
  /** The module heading's id, so the meter's name says whose reduction it is. */
  describedBy: string;
  /** The module is bypassed: it reads 0, drawn faded like its controls. */
  muted?: boolean;
}) {
  const subscribe = useCallback((l: () => void) => readings.subscribe(l), [readings]);
  // React renders the meter when the preview starts or stops; the readings (~30 a second) are
  // written straight into it (a transform for the bar, the figure at most ten times a second), so
  // they never re-render the desk and cost the page as little layout and paint as they can.
  const active = useSyncExternalStore(
    subscribe,
    () => readings.active,
    () => false,
  );
  const root = useRef<HTMLDivElement>(null);
  const meter = useRef<HTMLMeterElement>(null);
  const bar = useRef<HTMLSpanElement>(null);
  const figure = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!active) return;
    const display = new GainReductionDisplay(RANGE_DB);
    const draw = () => {
      if (!root.current || !meter.current || !bar.current || !figure.current) return;
      const { bar: fill, figure: db } = display.update(readings.get(moduleId) ?? 0, performance.now());
      if (fill !== null) bar.current.style.transform = `scaleX(${fill})`;
      if (db === null) return;
      const text = formatReduction(db);
      if (figure.current.textContent === text) return;
      root.current.dataset.grDb = db.toFixed(1);
      meter.current.value = Math.min(RANGE_DB, db);
      meter.current.setAttribute("aria-valuetext", text);
      figure.current.textContent = text;
    };
    draw();
    return readings.subscribe(draw);
  }, [active, readings, moduleId]);
  if (!active) return null;
  return (
    <div
      ref={root}
      data-testid="gain-reduction"
      className={`flex items-center gap-2 border-b border-zinc-800 px-3 py-1.5 ${muted ? "opacity-50" : ""}`}
    >
      <span aria-hidden="true" className="text-[11px] font-medium uppercase tracking-wide text-zinc-500">
        GR
      </span>
      {/* For assistive technology: the reduction, 0 to 24 dB. What is seen is the bar and the figure. */}
      <meter
        ref={meter}
        className="sr-only"
        min={0}
        max={RANGE_DB}
        aria-label="Gain reduction"
        aria-describedby={describedBy}
      />
      <span aria-hidden="true" className="relative h-2 flex-1 overflow-hidden rounded-full bg-zinc-800">
        {/* Reduction grows from the left, as on a hardware meter's scale 0 → −24 dB. */}
        <span
          ref={bar}
          className="absolute inset-0 origin-left rounded-full bg-amber-400/80 will-change-transform"
          style={{ transform: "scaleX(0)" }}
        />
      </span>
      <span ref={figure} aria-hidden="true" className="w-16 text-right font-mono text-xs tabular-nums text-zinc-300" />
    </div>
  );
}
