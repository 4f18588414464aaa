"use client";
/**
 * The EQ's response curve above its bands, as mastering EQs show it: computed by packages/dsp from
 * the very sections the render runs (`eqResponseDb`), the mid and side curves apart when a band acts
 * on one of them only. Each band that is on has a node: drag it sideways for frequency, up and down
 * for gain (a pass filter has no gain: sideways only), Shift for fine moves; the wheel over it sets
 * its Q; a double-click puts its gain back to 0 dB. A drag is one undo step, like a knob's. The knobs
 * below stay the keyboard's and screen reader's way to the same parameters.
 */
import type { ParamValue } from "@comaster/chain";
import { bandUsesGain, type EqParams, eqCurveBands, eqResponseDb } from "@comaster/dsp";
import { type PointerEvent, useEffect, useMemo, useRef } from "react";
import {
  CURVE_HEIGHT,
  CURVE_WIDTH,
  curveFrequencies,
  curvePath,
  curveSampleRate,
  dbToY,
  dragNode,
  freqToX,
  wheelQ,
} from "./eqCurveMath";

const FREQUENCIES = curveFrequencies(160);
const GRID_HZ = [50, 100, 200, 500, 1000, 2000, 5000, 10_000];
const LABEL_HZ: Record<number, string> = { 100: "100", 1000: "1k", 10000: "10k" };
const GRID_DB = [-12, -6, 6, 12];
/** One colour per band: its node on the curve and the dot by its column's legend (ModuleCard). */
export const EQ_BAND_COLORS = ["#f472b6", "#fb923c", "#facc15", "#4ade80", "#38bdf8", "#a78bfa"];
const DOUBLE_PRESS_MS = 400;

export interface EqCurveProps {
  params: Readonly<Record<string, ParamValue>>;
  /** The mix's sample rate, which its render runs at (see `curveSampleRate`); null: no mix yet. */
  sampleRate: number | null;
  canEdit: boolean;
  /** Writes a parameter; returns why it was refused, or null. */
  onParam(key: string, value: ParamValue): string | null;
  onGestureStart(): void;
  onGestureEnd(): void;
  onFocus(paramKey: string | null): void;
}

export function EqCurve(props: EqCurveProps) {
  const { params, canEdit } = props;
  const rate = curveSampleRate(props.sampleRate);
  const bands = useMemo(() => eqCurveBands(params as unknown as EqParams), [params]);
  const response = useMemo(() => eqResponseDb(bands, rate, FREQUENCIES), [bands, rate]);
  const split = response.mid.some((db, i) => Math.abs(db - response.side[i]!) > 0.01);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ band: number; pointerId: number; x0: number; y0: number; px: number; py: number } | null>(null);
  // The native wheel listener (non-passive, so the page does not scroll) reaches the current render here.
  const latest = useRef({ bands, canEdit, onParam: props.onParam });
  latest.current = { bands, canEdit, onParam: props.onParam };

  /** The pointer in curve units. */
  const pointer = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * CURVE_WIDTH, y: ((e.clientY - r.top) / r.height) * CURVE_HEIGHT };
  };
  // A second press on the same node within DOUBLE_PRESS_MS puts its gain back to 0 dB. (Not a
  // `dblclick` listener: with the pointer captured by the curve, the click events go to the curve.)
  const lastPress = useRef<{ band: number; at: number } | null>(null);
  const start = (e: PointerEvent, n: number) => {
    if (!canEdit || e.button !== 0) return;
    e.preventDefault();
    const b = bands[n - 1]!;
    const last = lastPress.current;
    lastPress.current = { band: n, at: e.timeStamp };
    if (last && last.band === n && e.timeStamp - last.at < DOUBLE_PRESS_MS) {
      lastPress.current = null;
      if (bandUsesGain(b.type) && b.gainDb !== 0) props.onParam(`b${n}Gain`, 0);
      return;
    }
    svg.current?.setPointerCapture(e.pointerId);
    const p = pointer(e);
    const y0 = dbToY(bandUsesGain(b.type) ? b.gainDb : 0);
    drag.current = { band: n, pointerId: e.pointerId, x0: freqToX(b.freq), y0, px: p.x, py: p.y };
    props.onGestureStart();
    props.onFocus(`b${n}Freq`);
  };
  const move = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const band = bands[d.band - 1]!;
    const p = pointer(e);
    const { freq, gainDb } = dragNode(d.x0, d.y0, p.x - d.px, p.y - d.py, e.shiftKey);
    if (freq !== band.freq) props.onParam(`b${d.band}Freq`, freq);
    if (bandUsesGain(band.type) && gainDb !== band.gainDb) props.onParam(`b${d.band}Gain`, gainDb);
  };
  const end = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    props.onGestureEnd();
  };
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const node = (e.target as Element).closest?.("[data-band]");
      const { bands, canEdit, onParam } = latest.current;
      if (!node || !canEdit || e.deltaY === 0) return;
      e.preventDefault();
      const n = Number(node.getAttribute("data-band"));
      const q = wheelQ(bands[n - 1]!.q, e.deltaY, e.shiftKey);
      if (q !== bands[n - 1]!.q) onParam(`b${n}Q`, q);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const summary = bands
    .map((b, i) =>
      b.on ? `band ${i + 1} ${b.type} ${Math.round(b.freq)} Hz${bandUsesGain(b.type) ? ` ${b.gainDb} dB` : ""}` : null,
    )
    .filter(Boolean)
    .join(", ");
  return (
    <div className="rounded-lg border border-zinc-800 bg-zinc-950/70">
      <svg
        ref={svg}
        data-testid="eq-curve"
        viewBox={`0 0 ${CURVE_WIDTH} ${CURVE_HEIGHT}`}
        className="block h-auto w-full touch-none select-none"
        role="img"
        aria-label={`EQ response: ${summary || "no band on"}`}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      >
        {GRID_HZ.map((hz) => (
          <g key={hz}>
            <line x1={freqToX(hz)} x2={freqToX(hz)} y1={0} y2={CURVE_HEIGHT} stroke="#27272a" strokeWidth={1} />
            {LABEL_HZ[hz] && (
              <text x={freqToX(hz) + 3} y={CURVE_HEIGHT - 4} fontSize={9} fill="#71717a">
                {LABEL_HZ[hz]}
              </text>
            )}
          </g>
        ))}
        {GRID_DB.map((db) => (
          <line key={db} x1={0} x2={CURVE_WIDTH} y1={dbToY(db)} y2={dbToY(db)} stroke="#27272a" strokeWidth={1} />
        ))}
        <line x1={0} x2={CURVE_WIDTH} y1={dbToY(0)} y2={dbToY(0)} stroke="#3f3f46" strokeWidth={1} />
        <text x={3} y={dbToY(12) - 2} fontSize={9} fill="#71717a">
          +12 dB
        </text>
        {split && (
          <path
            data-testid="eq-curve-side"
            d={curvePath(FREQUENCIES, response.side)}
            fill="none"
            stroke="#fbbf24"
            strokeWidth={1.5}
            strokeDasharray="4 3"
          />
        )}
        <path
          data-testid="eq-curve-mid"
          d={curvePath(FREQUENCIES, response.mid)}
          fill="none"
          stroke="#38bdf8"
          strokeWidth={2}
        />
        {split && (
          <text x={CURVE_WIDTH - 70} y={12} fontSize={9} fill="#a1a1aa">
            <tspan fill="#38bdf8">mid</tspan> / <tspan fill="#fbbf24">side</tspan>
          </text>
        )}
        {bands
          .map((b, i) => ({ ...b, n: i + 1 }))
          .filter((b) => b.on)
          .map((b) => (
            <g
              key={`band-${b.n}`}
              data-testid={`eq-node-${b.n}`}
              data-band={b.n}
              transform={`translate(${freqToX(b.freq)},${dbToY(bandUsesGain(b.type) ? b.gainDb : 0)})`}
              className={canEdit ? "cursor-grab" : undefined}
              onPointerDown={(e) => start(e, b.n)}
            >
              <circle
                r={8}
                fill={EQ_BAND_COLORS[b.n - 1]}
                fillOpacity={0.25}
                stroke={EQ_BAND_COLORS[b.n - 1]}
                strokeWidth={1.5}
              />
              <text textAnchor="middle" dy={3} fontSize={9} fill="#f4f4f5">
                {b.n}
              </text>
            </g>
          ))}
      </svg>
    </div>
  );
}
