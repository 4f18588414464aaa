"use client";
/**
 * The master's one-third-octave spectrum while the preview plays: bars that rise at once and fall at
 * a steady rate, a peak line per band that holds, then falls (`SpectrumBallistics`), over a grid of
 * 12 dB steps with frequencies along the bottom — what an analyser in Ozone or a DAW shows.
 */
import { useRef } from "react";
import { SPECTRUM_CENTRES_HZ } from "../../preview/monitor/previewMeters";
import { SpectrumBallistics } from "../../preview/monitor/spectrumBallistics";

const FLOOR_DB = -72;
const GRID_DB = [-12, -24, -36, -48, -60];
const FREQ_LABELS: [hz: number, text: string][] = [
  [50, "50"],
  [100, "100"],
  [200, "200"],
  [500, "500"],
  [1000, "1k"],
  [2000, "2k"],
  [5000, "5k"],
  [10000, "10k"],
];
const BAND_W = 10;

/** Percent from the top of the plot for a level (0 dB at the top, the floor at the bottom). */
const yPct = (db: number) => Math.min(100, Math.max(0, (db / FLOOR_DB) * 100));

export function SpectrumView({ spectrumDb }: { spectrumDb: readonly number[] | null }) {
  const ballistics = useRef<SpectrumBallistics | null>(null);
  const last = useRef<readonly number[] | null>(null);
  ballistics.current ??= new SpectrumBallistics({ floorDb: FLOOR_DB });
  const b = ballistics.current;
  // Each reading once (a re-render for another reason must not age the bars).
  if (spectrumDb !== last.current) {
    last.current = spectrumDb;
    if (spectrumDb && spectrumDb.length > 0) b.push(spectrumDb);
    else b.reset();
  }
  const n = b.levels.length || SPECTRUM_CENTRES_HZ.length;
  const width = n * BAND_W;
  const xPct = (hz: number) => {
    const i = SPECTRUM_CENTRES_HZ.indexOf(hz);
    return ((i + 0.5) / SPECTRUM_CENTRES_HZ.length) * 100;
  };
  return (
    <div
      role="img"
      aria-label="Spectrum of the master, 20 Hz to 20 kHz in one-third octaves"
      data-testid="spectrum"
      className="relative h-28 rounded-md bg-zinc-950/60 pt-1 pr-1 pb-4 pl-7"
    >
      <div className="relative h-full w-full">
        <svg
          aria-hidden="true"
          viewBox={`0 0 ${width} 100`}
          preserveAspectRatio="none"
          className="absolute inset-0 h-full w-full"
        >
          {GRID_DB.map((db) => (
            <line
              key={db}
              x1={0}
              x2={width}
              y1={yPct(db)}
              y2={yPct(db)}
              stroke="#3f3f46"
              strokeWidth={1}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {b.levels.map((db, i) => (
            <rect
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed bands, in order
              key={i}
              x={i * BAND_W + 1}
              width={BAND_W - 2}
              y={yPct(db)}
              height={100 - yPct(db)}
              rx={1}
              className="fill-sky-400/70"
            />
          ))}
          {b.peaks.map((db, i) =>
            db > FLOOR_DB ? (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed bands, in order
                key={i}
                x={i * BAND_W + 1}
                width={BAND_W - 2}
                y={yPct(db)}
                height={1.2}
                className="fill-sky-100"
              />
            ) : null,
          )}
        </svg>
        {GRID_DB.filter((db) => db % 24 === 0 || db === -12).map((db) => (
          <span
            key={db}
            aria-hidden="true"
            className="absolute -left-7 w-6 -translate-y-1/2 text-right font-mono text-[9px] text-zinc-500"
            style={{ top: `${yPct(db)}%` }}
          >
            {String(db).replace("-", "\u2212")}
          </span>
        ))}
        {FREQ_LABELS.map(([hz, text]) => (
          <span
            key={hz}
            aria-hidden="true"
            className="absolute -bottom-4 -translate-x-1/2 font-mono text-[9px] text-zinc-500"
            style={{ left: `${xPct(hz)}%` }}
          >
            {text}
          </span>
        ))}
      </div>
    </div>
  );
}
