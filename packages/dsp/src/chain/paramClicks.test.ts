// Live edits do not click: every parameter of every processor module, changed mid-stream between
// 128-frame blocks (as the preview's worklet does) from one end of its range to the other, leaves no
// broadband transient in the output (clickDetector.ts), in one jump (a typed value) and as a drag
// (one edit per block). A lowered limiter ceiling glides too, and is also checked for holding at
// every output sample from the end of its glide (limiter.ts).
import { describe, expect, it } from "vitest";
import type { Limiter } from "../processors/dynamics/limiter";
import { CLICK_THRESHOLD, clickProgramme, measureClick } from "./clickDetector";
import type { ParamValue } from "./modulePlan";
import { createProcessor, PROCESSOR_TYPES } from "./processorRegistry";
import { TEST_PARAM_SPECS, type TestParamSpec } from "./testParamSpecs";
import { audibleContext, type Edit, renderWithEdits } from "./testSupport";

const RATE = 48_000;
const BLOCK = 128;
/** The first edit: 0.51 s in, after every processor has settled on the programme. */
const CHANGE = 192 * BLOCK;
/** Frames after the last edit that the change window covers (plus the module's latency). */
const TAIL = 4096;
/** Blocks a drag lasts (one edit per block, 107 ms). */
const DRAG_BLOCKS = 40;

/** A lower limiter ceiling: besides not clicking, it must hold once its glide is over. */
function loweredCeiling(type: string, key: string, from: ParamValue, to: ParamValue): boolean {
  return type === "limiter" && key === "ceilingDbtp" && (to as number) < (from as number);
}

type Params = Record<string, ParamValue>;

interface Case {
  readonly name: string;
  readonly type: string;
  readonly base: Params;
  readonly toneDb: number;
  readonly toneHz: number;
  readonly loweredCeiling: boolean;
  /** Parameter values from CHANGE on, one per block (one value: a jump). */
  readonly steps: readonly Params[];
  readonly initial: Params;
}

function jumps(spec: TestParamSpec): [ParamValue, ParamValue][] {
  switch (spec.kind) {
    case "number":
      return [
        [spec.min, spec.max],
        [spec.max, spec.min],
      ];
    case "enum":
      return spec.options
        .filter((o) => o !== spec.default)
        .flatMap((o): [ParamValue, ParamValue][] => [
          [spec.default, o],
          [o, spec.default],
        ]);
    case "boolean":
      return [
        [true, false],
        [false, true],
      ];
  }
}

/** The value a drag from `a` to `b` reaches after `k` of `n` steps, in the control's scale. */
function dragValue(spec: TestParamSpec & { kind: "number" }, a: number, b: number, k: number, n: number): number {
  if (k === n) return b;
  const t = k / n;
  if (spec.scale === "log") return a * (b / a) ** t;
  return a + (b - a) * t;
}

function cases(type: string): Case[] {
  const out: Case[] = [];
  for (const spec of TEST_PARAM_SPECS[type]!) {
    const { base, toneDb, toneHz } = audibleContext(type, spec.key);
    for (const [from, to] of jumps(spec)) {
      const initial = { ...base, [spec.key]: from };
      const common = { type, base, toneDb, toneHz, loweredCeiling: loweredCeiling(type, spec.key, from, to), initial };
      out.push({ ...common, name: `${spec.key} ${from} → ${to}`, steps: [{ ...base, [spec.key]: to }] });
      if (spec.kind === "number") {
        const steps = Array.from({ length: DRAG_BLOCKS }, (_, k) => ({
          ...base,
          [spec.key]: dragValue(spec, from as number, to as number, k + 1, DRAG_BLOCKS),
        }));
        out.push({ ...common, name: `${spec.key} dragged ${from} → ${to}`, steps });
      }
    }
  }
  return out;
}

function render(c: Case) {
  const proc = createProcessor(c.type);
  proc.setParams(c.initial);
  proc.prepare({ sampleRate: RATE, channels: 2, maxBlockFrames: BLOCK });
  const span = (c.steps.length - 1) * BLOCK + TAIL + proc.latencyFrames;
  const input = clickProgramme({
    sampleRate: RATE,
    frames: CHANGE + 2 * span + BLOCK,
    toneDb: c.toneDb,
    toneHz: c.toneHz,
  });
  const edits: Edit[] = c.steps.map((params, k) => ({ frame: CHANGE + k * BLOCK, params }));
  return { out: renderWithEdits(proc, input, BLOCK, edits), span, proc };
}

describe.each(PROCESSOR_TYPES)("live edits of %s do not click", (type) => {
  it.each(cases(type).map((c) => [c.name, c] as const))("%s", (_, c) => {
    const { out, span, proc } = render(c);
    if (c.loweredCeiling) {
      // The ceiling set last holds at every sample from the end of its glide (limiter.test.ts checks
      // the true peak of every interval).
      const lim = proc as Limiter;
      const ceiling = 10 ** ((c.steps.at(-1)!.ceilingDbtp as number) / 20);
      const from = CHANGE + (c.steps.length - 1) * BLOCK + lim.latencyFrames + lim.ceilingGlideFrames;
      let over = 0;
      for (const ch of out) for (let i = from; i < ch.length; i++) over = Math.max(over, Math.abs(ch[i]!) - ceiling);
      expect(over).toBe(0);
    }
    const m = measureClick(out, CHANGE, span);
    const detail = `score ${m.score.toFixed(2)} (change ${m.change.toExponential(2)}, before ${m.before.toExponential(2)}, after ${m.after.toExponential(2)})`;
    expect(m.score, detail).toBeLessThan(CLICK_THRESHOLD);
  });
});
