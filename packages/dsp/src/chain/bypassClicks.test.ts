// Bypass toggles and loudness gain changes do not click: every module type of the renderer, set so
// that it is audible on the click programme, toggled mid-stream between 128-frame blocks (as the
// preview's worklet does) leaves no broadband transient in the output (clickDetector.ts, the same
// threshold as the parameter sweep in paramClicks.test.ts); so does a toggle turned round mid-fade
// and a button hammered once a block. A crossfade may of course carry the broadband content of either
// signal (the noise a compressor held down comes back with the dry signal): the change window is
// also compared with the same frames of both steady renders, bypassed and not. The same toggle as a
// hard switch does click, so the settings are audible enough for the sweep to mean something.
import { describe, expect, it } from "vitest";
import { GLIDE_SECONDS } from "../processors/paramRamp";
import { ChainRenderer } from "./chainRenderer";
import {
  CLICK_GUARD_FRAMES,
  CLICK_THRESHOLD,
  clickProgramme,
  hardSwitch,
  measureClick,
  residualPeak,
} from "./clickDetector";
import type { ModulePlan, ParamValue } from "./modulePlan";
import { PROCESSOR_TYPES } from "./processorRegistry";
import { type Action, audibleContext, renderWithActions } from "./testSupport";

const RATE = 48_000;
const BLOCK = 128;
/** The first toggle: 0.51 s in, after every processor has settled on the programme. */
const CHANGE = 192 * BLOCK;
/** Frames after the transition that the change window covers. */
const TAIL = 4096;
const GLIDE = Math.round(GLIDE_SECONDS * RATE);
/** Gain of the loudness stage in these tests, dB. */
const LOUDNESS_DB = 6;

/** Settings under which the module as a whole is audible on the programme (see audibleContext). */
const AUDIBLE: Readonly<Record<string, Record<string, ParamValue>>> = {
  trim: { gainDb: 6 },
  highpass: { freqHz: 150, slope: "48" },
  eq: { b4Freq: 1000, b4Gain: 12 },
  compressor: { thresholdDb: -40, ratio: 4 },
  multiband: { b2ThresholdDb: -40, b2Ratio: 4, b3ThresholdDb: -40, b3Ratio: 4 },
  saturation: { driveDb: 12 },
  imager: { widthPct: 0 },
  deesser: { freqHz: 2000 },
};

const TYPES = [...PROCESSOR_TYPES, "loudness"];

function setup(type: string) {
  if (type === "loudness") return { params: { targetLufs: -14 }, toneDb: -12, toneHz: undefined };
  const { base, toneDb, toneHz } = audibleContext(type);
  return { params: { ...base, ...AUDIBLE[type] }, toneDb, toneHz };
}

/** `toggles`: frames at which the module's bypass flips, starting from `bypass`. */
function render(type: string, bypass: boolean, toggles: readonly number[]) {
  const { params, toneDb, toneHz } = setup(type);
  const plan = (b: boolean): ModulePlan => ({ id: "m", type, bypass: b, params });
  const renderer = new ChainRenderer([plan(bypass)], { sampleRate: RATE, channels: 2, maxBlockFrames: BLOCK });
  renderer.setLoudnessGainDb(LOUDNESS_DB);
  const span = toggles.at(-1)! - CHANGE + renderer.latencyFrames + GLIDE + TAIL;
  const input = clickProgramme({
    sampleRate: RATE,
    frames: CHANGE + 2 * span + BLOCK,
    toneDb,
    ...(toneHz && { toneHz }),
  });
  const actions: Action[] = toggles.map((frame, k) => ({
    frame,
    run: () => renderer.update(plan(k % 2 === 0 ? !bypass : bypass)),
  }));
  // The steady renders, bypassed and not, of the same input.
  const steady = [false, true].map((b) => {
    const r = new ChainRenderer([plan(b)], { sampleRate: RATE, channels: 2, maxBlockFrames: BLOCK });
    r.setLoudnessGainDb(LOUDNESS_DB);
    return renderWithActions(r, input, BLOCK, []);
  }) as [on: Float32Array[], bypassed: Float32Array[]];
  return { out: renderWithActions(renderer, input, BLOCK, actions), span, steady };
}

/** measureClick, with the steady renders' residual over the change window as a third reference. */
function expectNoClick(out: Float32Array[], span: number, steady: readonly Float32Array[][] = []) {
  const m = measureClick(out, CHANGE, span);
  const start = CHANGE - CLICK_GUARD_FRAMES;
  const ref = Math.max(m.before, m.after, ...steady.map((x) => residualPeak(x, start, start + span)));
  const score = m.change / ref;
  const detail = `score ${score.toFixed(2)} (change ${m.change.toExponential(2)}, before ${m.before.toExponential(2)}, after ${m.after.toExponential(2)}, steady ${ref.toExponential(2)})`;
  expect(score, detail).toBeLessThan(CLICK_THRESHOLD);
}

describe.each(TYPES)("bypass toggles of %s do not click", (type) => {
  it.each([
    ["bypass", false, [CHANGE]],
    ["un-bypass", true, [CHANGE]],
    ["bypass, back on mid-fade", false, [CHANGE, CHANGE + 3 * BLOCK]],
    ["un-bypass, off again 1 block later", true, [CHANGE, CHANGE + BLOCK]],
    ["un-bypass, off and on again mid-fade", true, [CHANGE, CHANGE + 9 * BLOCK, CHANGE + 10 * BLOCK]],
    ["toggled once a block for 12 blocks", false, Array.from({ length: 12 }, (_, k) => CHANGE + k * BLOCK)],
  ] as const)("%s", (_, bypass, toggles) => {
    const { out, span, steady } = render(type, bypass, toggles);
    expectNoClick(out, span, steady);
  });

  it.each([false, true])("a hard switch from bypass %s does click (the settings are audible)", (bypass) => {
    // The two steady renders spliced at the toggle: a switch with warm processors, no crossfade.
    const { span, steady } = render(type, bypass, [CHANGE]);
    const [before, after] = bypass ? [steady[1], steady[0]] : steady;
    expect(measureClick(hardSwitch(before, after, CHANGE), CHANGE, span).score).toBeGreaterThan(CLICK_THRESHOLD);
  });
});

describe("loudness gain changes do not click", () => {
  it.each([
    [0, 12],
    [12, -12],
    [-12, 0],
    [6, 6.5],
  ])("%d dB → %d dB", (from, to) => {
    const renderer = new ChainRenderer([{ id: "l", type: "loudness", bypass: false, params: { targetLufs: -14 } }], {
      sampleRate: RATE,
      channels: 2,
      maxBlockFrames: BLOCK,
    });
    renderer.setLoudnessGainDb(from);
    const span = GLIDE + TAIL;
    const input = clickProgramme({ sampleRate: RATE, frames: CHANGE + 2 * span + BLOCK, toneDb: -24 });
    const out = renderWithActions(renderer, input, BLOCK, [
      { frame: CHANGE, run: () => renderer.setLoudnessGainDb(to) },
    ]);
    expectNoClick(out, span);
    // The gain is the new one from the end of the glide: exactly what a render at it gives.
    const settled = new ChainRenderer([{ id: "l", type: "loudness", bypass: false, params: { targetLufs: -14 } }], {
      sampleRate: RATE,
      channels: 2,
      maxBlockFrames: BLOCK,
    });
    settled.setLoudnessGainDb(to);
    const ref = renderWithActions(settled, input, BLOCK, []);
    for (let c = 0; c < 2; c++) expect(out[c]!.subarray(CHANGE + GLIDE)).toEqual(ref[c]!.subarray(CHANGE + GLIDE));
  });

  it("a change before the first frame applies at once (the export's gain)", () => {
    const renderer = new ChainRenderer([{ id: "l", type: "loudness", bypass: false, params: { targetLufs: -14 } }], {
      sampleRate: RATE,
      channels: 2,
      maxBlockFrames: BLOCK,
    });
    renderer.setLoudnessGainDb(-3);
    renderer.setLoudnessGainDb(9);
    const input = clickProgramme({ sampleRate: RATE, frames: 1000 });
    const out = renderWithActions(renderer, input, BLOCK, []);
    const g = 10 ** (9 / 20);
    for (let c = 0; c < 2; c++) expect(out[c]).toEqual(input[c]!.map((v) => v * g));
  });
});
