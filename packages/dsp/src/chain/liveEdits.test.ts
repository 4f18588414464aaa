// Live edits keep the processor contract: with setParams called at the same sample positions, the
// output is bit-identical whatever the block size (1, 128, 8192 frames); reset() lands every glide
// (the output is a fresh processor's); setParams before prepare sets the values at once. The same for
// the renderer's bypass toggles and loudness gain (moduleStage.ts, loudnessGain.ts), whose
// crossfades also end exactly in the dry or the processed signal.
import { describe, expect, it } from "vitest";
import { GLIDE_SECONDS } from "../processors/paramRamp";
import { prng } from "../signals";
import { ChainRenderer } from "./chainRenderer";
import type { ParamValue } from "./modulePlan";
import { createProcessor, PROCESSOR_TYPES } from "./processorRegistry";
import { TEST_PARAM_SPECS, testDefaults } from "./testParamSpecs";
import { type Action, type Edit, renderWithActions, renderWithEdits } from "./testSupport";

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

/** A one-module chain with the module's bypass toggled, and its parameters edited, at awkward frames. */
function renderToggled(type: string, input: Float32Array[], block: number, seed: number, maxBlock = block) {
  const rand = prng(seed);
  const params = type === "loudness" ? { targetLufs: -14 } : testDefaults(type);
  const renderer = new ChainRenderer([{ id: "m", type, bypass: false, params }], {
    sampleRate: RATE,
    channels: 2,
    maxBlockFrames: maxBlock,
  });
  renderer.setLoudnessGainDb(3);
  // Bypass; back on mid-fade; bypass; on after the fade (reset, warm-up); off during the warm-up
  // (and a new loudness gain); on again; then on 3 blocks later with new parameters, off again.
  const toggles = [701, 1337, 1999, 4501, 4502, 5003, 9001, 9385];
  const actions: Action[] = toggles.map((frame, k) => {
    const p = type === "loudness" || k < 6 ? params : randomParams(type, rand);
    return {
      frame,
      run: () => {
        renderer.update({ id: "m", type, bypass: k % 2 === 0, params: p });
        if (k === 4) renderer.setLoudnessGainDb(-7);
      },
    };
  });
  return { out: renderWithActions(renderer, input, block, actions), renderer };
}

describe.each([...PROCESSOR_TYPES, "loudness"])("bypass toggles of %s", (type) => {
  it.each([1, 2])("are block-size invariant bit for bit, seed %i", (seed) => {
    const input = programme(14_000, seed);
    const { out: ref, renderer } = renderToggled(type, input, 8192, seed);
    expect(renderToggled(type, input, 128, seed).out).toEqual(ref);
    expect(renderToggled(type, input, 128, seed, 8192).out).toEqual(ref);
    const short = input.map((c) => c.subarray(0, 5100));
    expect(renderToggled(type, short, 1, seed).out).toEqual(ref.map((c) => c.subarray(0, 5100)));
    for (const c of ref) expect(c.every(Number.isFinite)).toBe(true);
    // The latency never changes: it is the module's whatever the flags.
    expect(renderer.latencyFrames).toBe(renderer.processor("m")?.latencyFrames ?? 0);
  });
});

describe("bypass crossfades", () => {
  const input = programme(12_000, 3);
  const chain = (bypass: boolean) =>
    new ChainRenderer(
      [
        { id: "t", type: "trim", bypass, params: { gainDb: 6 } },
        { id: "l", type: "limiter", bypass, params: { ...testDefaults("limiter"), ceilingDbtp: -6 } },
      ],
      { sampleRate: RATE, channels: 2, maxBlockFrames: 128 },
    );
  const glide = Math.round(GLIDE_SECONDS * RATE);
  const toggle = (r: ChainRenderer, bypass: boolean) => () => {
    r.update({ id: "t", type: "trim", bypass, params: { gainDb: 6 } });
    r.update({ id: "l", type: "limiter", bypass, params: { ...testDefaults("limiter"), ceilingDbtp: -6 } });
  };

  it("a bypass ends in exactly the dry signal: the input delayed by the latency", () => {
    const r = chain(false);
    const out = renderWithActions(r, input, 128, [{ frame: 3000, run: toggle(r, true) }]);
    // Each module fades over GLIDE_SECONDS; the limiter's dry signal is the trim's output (fading
    // too) delayed by the limiter's latency.
    const d = r.latencyFrames;
    const from = 3000 + glide + d;
    for (let c = 0; c < 2; c++) expect(out[c]!.subarray(from)).toEqual(input[c]!.subarray(from - d, 12_000 - d));
    // Before the toggle, the processed signal, as a render without it.
    const plain = renderWithActions(chain(false), input, 128, []);
    for (let c = 0; c < 2; c++) expect(out[c]!.subarray(0, 3000)).toEqual(plain[c]!.subarray(0, 3000));
  });

  it("an un-bypass starts the processors afresh and ends, after latency + 2·GLIDE_SECONDS, in the processed signal", () => {
    // Trim alone (no state, no latency): its input fades in, then its output fades over, then x·g exactly.
    const r = new ChainRenderer([{ id: "t", type: "trim", bypass: true, params: { gainDb: 6 } }], {
      sampleRate: RATE,
      channels: 2,
      maxBlockFrames: 128,
    });
    const on = () => r.update({ id: "t", type: "trim", bypass: false, params: { gainDb: 6 } });
    const out = renderWithActions(r, input, 128, [{ frame: 3000, run: on }]);
    const g = 10 ** (6 / 20);
    for (let c = 0; c < 2; c++) {
      expect(out[c]!.subarray(0, 3000 + glide)).toEqual(input[c]!.subarray(0, 3000 + glide));
      expect(out[c]!.subarray(3000 + 2 * glide)).toEqual(input[c]!.subarray(3000 + 2 * glide).map((v) => v * g));
    }
  });

  it("toggles before the first frame apply at once: the render is that of the last flags", () => {
    const r = chain(false);
    toggle(r, true)();
    toggle(r, false)();
    toggle(r, true)();
    expect(renderWithActions(r, input, 128, [])).toEqual(renderWithActions(chain(true), input, 128, []));
  });

  it("reset() lands a crossfade: the output is then a fresh renderer's with the last flags", () => {
    const r = chain(false);
    renderWithActions(
      r,
      input.map((c) => c.subarray(0, 2000)),
      128,
      [{ frame: 1900, run: toggle(r, true) }],
    );
    r.reset();
    expect(renderWithActions(r, input, 128, [])).toEqual(renderWithActions(chain(true), input, 128, []));
    const s = chain(true);
    renderWithActions(
      s,
      input.map((c) => c.subarray(0, 2000)),
      128,
      [{ frame: 1900, run: toggle(s, false) }],
    );
    s.reset();
    expect(renderWithActions(s, input, 128, [])).toEqual(renderWithActions(chain(false), input, 128, []));
  });
});
