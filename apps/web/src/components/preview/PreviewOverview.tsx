"use client";
// The mix's overview as the preview's timeline: a click seeks, a drag marks a loop region, the
// playhead follows the engine every frame. Keyboard: arrows seek by 5 s (Shift: 30 s).
import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from "react";
import type { PreviewEngine } from "../../preview/previewEngine";
import { timeAt } from "../CommentWaveform";
import { formatTime } from "../format";
import { Waveform } from "../Waveform";

/** Drags shorter than this (seconds) are a click. */
const MIN_REGION_SECONDS = 0.5;

export function PreviewOverview({
  engine,
  peaks,
  label,
  durationSeconds,
  region,
  loop,
  onSeek,
  onRegion,
}: {
  engine: PreviewEngine | null;
  peaks: readonly number[];
  label: string;
  durationSeconds: number;
  region: { start: number; end: number } | null;
  loop: { start: number; end: number } | null;
  onSeek: (seconds: number) => void;
  onRegion: (region: { start: number; end: number } | null) => void;
}) {
  const head = useRef<HTMLSpanElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const pct = (t: number) => `${(Math.min(Math.max(t, 0), durationSeconds) / (durationSeconds || 1)) * 100}%`;

  useEffect(() => {
    if (!engine) return;
    let raf = 0;
    const draw = () => {
      if (head.current) head.current.style.left = pct(engine.position());
      raf = requestAnimationFrame(draw);
    };
    draw();
    return () => cancelAnimationFrame(raf);
  });

  const at = (e: PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return timeAt(e.clientX, r.left, r.width, durationSeconds);
  };
  function onPointerUp(e: PointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const to = at(e);
    const [a, b] = drag.from <= to ? [drag.from, to] : [to, drag.from];
    setDrag(null);
    if (b - a >= MIN_REGION_SECONDS) onRegion({ start: a, end: b });
    else onSeek(a);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (!engine || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    e.preventDefault();
    const step = (e.shiftKey ? 30 : 5) * (e.key === "ArrowRight" ? 1 : -1);
    onSeek(Math.min(durationSeconds, Math.max(0, engine.position() + step)));
  }

  const shown = drag ? { start: Math.min(drag.from, drag.to), end: Math.max(drag.from, drag.to) } : region;
  return (
    <div className="space-y-1">
      <div
        role="slider"
        tabIndex={0}
        aria-label={`${label}: click to play from a time, drag to mark a loop region`}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationSeconds)}
        aria-valuenow={0}
        data-testid="preview-waveform"
        className="relative cursor-pointer touch-none select-none rounded-md focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const t = at(e);
          setDrag({ from: t, to: t });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, to: at(e) })}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        onKeyDown={onKeyDown}
      >
        <Waveform peaks={peaks} label={label} />
        {shown && (
          <span
            aria-hidden
            data-testid="preview-region"
            className={`pointer-events-none absolute top-0 bottom-0 border-x ${loop ? "border-amber-300 bg-amber-300/20" : "border-white/60 bg-white/10"}`}
            style={{ left: pct(shown.start), width: `calc(${pct(shown.end)} - ${pct(shown.start)})` }}
          />
        )}
        <span ref={head} aria-hidden className="pointer-events-none absolute top-0 bottom-0 w-0.5 bg-amber-200" />
      </div>
      <div className="flex justify-between text-xs text-zinc-500">
        <span>0:00</span>
        <span>
          {region ? (
            <>
              Region {formatTime(region.start)}–{formatTime(region.end)}{" "}
              <button type="button" className="text-sky-300 underline" onClick={() => onRegion(null)}>
                clear
              </button>
            </>
          ) : (
            "Click to play from there · drag to mark a loop"
          )}
        </span>
        <span>{formatTime(durationSeconds)}</span>
      </div>
    </div>
  );
}
