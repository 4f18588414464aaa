// Live edits keep the processor contract: with setParams called at the same sample positions, the
// output is bit-identical whatever the block size (1, 128, 8192 frames); reset() lands every glide
// (the output is a fresh processor's); setParams before prepare sets the values at once.
import { describe, expect, it } from "vitest";
import { prng } from "../signals";
import type { ParamValue } from "./modulePlan";
import { createProcessor, PROCESSOR_TYPES } from "./processorRegistry";
import { TEST_PARAM_SPECS, testDefaults } from "./testParamSpecs";
import { type Edit, renderWithEdits } from "./testSupport";

const RATE = 48_000;
type Params = Record<string, ParamValue>;

/** Every parameter drawn from its spec's range (log-uniform on a log scale), seeded. */
function randomParams(type: string, rand: () => number): Params {
  const p: Params = {};
  for (const s of TEST_PARAM_SPECS[type]!) {
    if (s.kind === "number")
      p[s.key] = s.scale === "log" ? s.min * (s.max / s.min) ** rand() : s.min + (s.max - s.min) * rand();
    else if (s.kind === "enum") p[s.key] = s.options[Math.floor(rand() * s.options.length)]!;
    else p[s.key] = rand() < 0.5;
  }
  return p;
}

/** Stereo programme: noise and a tone, with a loud passage so the dynamics modules work. */
function programme(frames: number, seed: number): Float32Array[] {
  const rand = prng(seed);
  return [0, 1].map((c) => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const loud = i > frames / 3 && i < (2 * frames) / 3 ? 1.5 : 0.4;
      x[i] = loud * (0.3 * Math.sin((2 * Math.PI * 440 * i) / RATE + c) + 0.2 * (2 * rand() - 1));
    }
    return x;
  });
}

/** Edits at awkward frames (not on blocks or ticks), some inside the glides of the one before. */
function edits(type: string, seed: number): Edit[] {
  const rand = prng(seed);
  return [701, 1337, 1999, 4501, 4502, 9001].map((frame) => ({ frame, params: randomParams(type, rand) }));
}

function render(
  type: string,
  initial: Params,
  input: Float32Array[],
  block: number,
  ed: readonly Edit[],
  maxBlock = block,
) {
  const p = createProcessor(type);
  p.setParams(initial);
  p.prepare({ sampleRate: RATE, channels: 2, maxBlockFrames: maxBlock });
  return { out: renderWithEdits(p, input, block, ed), proc: p };
}

describe.each(PROCESSOR_TYPES)("live edits of %s", (type) => {
  it.each([1, 2, 3])("are block-size invariant bit for bit, seed %i", (seed) => {
    const input = programme(14_000, seed);
    const ed = edits(type, seed);
    const initial = testDefaults(type);
    const ref = render(type, initial, input, 8192, ed).out;
    expect(render(type, initial, input, 128, ed).out).toEqual(ref);
    expect(render(type, initial, input, 128, ed, 8192).out).toEqual(ref);
    const short = input.map((c) => c.subarray(0, 5000));
    const one = render(type, initial, short, 1, ed).out;
    expect(one).toEqual(ref.map((c) => c.subarray(0, 5000)));
    for (const c of ref) expect(c.every(Number.isFinite)).toBe(true);
  });

  it("reset() lands every glide: the output is then a fresh processor's", () => {
    const input = programme(6000, 9);
    const ed = edits(type, 9);
    const { proc } = render(type, testDefaults(type), input, 128, ed.slice(0, 4));
    // Mid-glide: the last edit at 4502 is 1498 frames behind; edit once more, then reset.
    const last = ed[5]!.params;
    proc.setParams(last);
    proc.reset();
    const again = renderWithEdits(proc, input, 128, []);
    expect(again).toEqual(render(type, last, input, 128, []).out);
  });

  it("setParams before prepare sets the values at once (no glide from earlier values)", () => {
    const input = programme(4000, 4);
    const target = randomParams(type, prng(11));
    const p = createProcessor(type);
    p.setParams(randomParams(type, prng(12)));
    p.setParams(target);
    p.prepare({ sampleRate: RATE, channels: 2, maxBlockFrames: 128 });
    expect(renderWithEdits(p, input, 128, [])).toEqual(render(type, target, input, 128, []).out);
  });
});
