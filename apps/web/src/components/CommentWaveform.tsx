"use client";
/**
 * The mix's waveform as the place to comment, SoundCloud-style: click a time or drag a range to start
 * a comment; every comment of the version is a marker (a range a band) in its author's colour, and
 * hovering a marker shows its text. Keyboard: the waveform is focusable, Enter comments at the
 * current cursor (arrow keys move it by a second, Shift by ten).
 */
import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, type PointerEvent, useRef, useState } from "react";
import { useTRPC } from "../client/trpc";
import { formatTime, formatTimeRange } from "./format";
import { Waveform } from "./Waveform";

export interface CommentSpan {
  atSeconds: number;
  endSeconds?: number;
}

/** Drags shorter than this (seconds) are a click at one time. */
const MIN_RANGE_SECONDS = 0.25;

/** The time at `clientX` over an element spanning `left`…`left + width`, clamped to the mix. */
export function timeAt(clientX: number, left: number, width: number, durationSeconds: number): number {
  if (width <= 0 || durationSeconds <= 0) return 0;
  const ratio = Math.min(1, Math.max(0, (clientX - left) / width));
  return Math.round(ratio * durationSeconds * 100) / 100;
}

export function CommentWaveform({
  peaks,
  label,
  durationSeconds,
  versionId,
  pending,
  onPick,
}: {
  peaks: readonly number[];
  label: string;
  durationSeconds: number;
  /** The version whose comments are shown; null: none saved yet (picking still works). */
  versionId: string | null;
  pending: CommentSpan | null;
  onPick: (span: CommentSpan) => void;
}) {
  const trpc = useTRPC();
  const comments = useQuery({
    ...trpc.comments.list.queryOptions({ versionId: versionId ?? "" }),
    enabled: versionId !== null,
  });
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const [cursor, setCursor] = useState(0);

  const at = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return timeAt(e.clientX, rect.left, rect.width, durationSeconds);
  };
  const pct = (seconds: number) => `${(Math.min(seconds, durationSeconds) / durationSeconds) * 100}%`;

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const t = at(e);
    setDrag({ from: t, to: t });
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    if (drag) setDrag({ ...drag, to: at(e) });
  }
  function onPointerUp(e: PointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const to = at(e);
    const [a, b] = drag.from <= to ? [drag.from, to] : [to, drag.from];
    setDrag(null);
    setCursor(a);
    onPick(b - a >= MIN_RANGE_SECONDS ? { atSeconds: a, endSeconds: b } : { atSeconds: a });
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = e.shiftKey ? 10 : 1;
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      setCursor((c) => Math.min(durationSeconds, Math.max(0, c + (e.key === "ArrowRight" ? step : -step))));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onPick({ atSeconds: cursor });
    }
  }

  const shown = drag ? { atSeconds: Math.min(drag.from, drag.to), endSeconds: Math.max(drag.from, drag.to) } : pending;
  return (
    <div className="space-y-1">
      <div
        ref={box}
        role="slider"
        tabIndex={0}
        aria-label={`${label}: click a time or drag a range to comment`}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationSeconds)}
        aria-valuenow={Math.round(cursor)}
        aria-valuetext={formatTime(cursor)}
        data-testid="comment-waveform"
        className="relative cursor-crosshair touch-none select-none rounded-md focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        onKeyDown={onKeyDown}
      >
        <Waveform peaks={peaks} label={label} />
        {(comments.data ?? []).map((c) => (
          <span
            key={c.id}
            data-testid="comment-marker"
            title={`${formatTimeRange(c.atSeconds, c.endSeconds)} — ${c.author.name}: ${c.text}`}
            className={`absolute top-0 bottom-0 ${c.resolved ? "opacity-40" : "opacity-80"}`}
            style={{
              left: pct(c.atSeconds),
              width: c.endSeconds === null ? "2px" : `calc(${pct(c.endSeconds)} - ${pct(c.atSeconds)})`,
              backgroundColor: c.endSeconds === null ? c.author.color : `${c.author.color}40`,
              borderLeft: `2px solid ${c.author.color}`,
            }}
          />
        ))}
        {shown && (
          <span
            aria-hidden
            className="pointer-events-none absolute top-0 bottom-0 border-l-2 border-white bg-white/15"
            style={{
              left: pct(shown.atSeconds),
              width: shown.endSeconds === undefined ? "0" : `calc(${pct(shown.endSeconds)} - ${pct(shown.atSeconds)})`,
            }}
          />
        )}
        <span
          aria-hidden
          className="pointer-events-none absolute top-0 bottom-0 w-px bg-sky-300/60"
          style={{ left: pct(cursor) }}
        />
      </div>
      <div className="flex justify-between text-xs text-zinc-500">
        <span>0:00</span>
        <span>
          {shown
            ? `Comment at ${formatTimeRange(shown.atSeconds, shown.endSeconds ?? null)}`
            : "Click or drag to comment"}
        </span>
        <span>{formatTime(durationSeconds)}</span>
      </div>
    </div>
  );
}
