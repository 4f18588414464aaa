// Preview and export run the same code: the whole chain, every module on, gives bit-identical output
// in 128-frame blocks (the AudioWorklet) and in 8192-frame blocks (the render worker).
import { PRESET_NAMES, parseChain, presetChain } from "@comaster/chain";
import { pinkNoise, sine } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { renderProcessors } from "../support/renderChain";

const RATE = 44_100;
// Six seconds of stereo programme: pink noise with a loud low tone and a burst, so every dynamics
// module acts (compressor, multiband, de-esser, limiter all reach gain reduction).
function programme(): Float32Array[] {
  const noise = pinkNoise({ sampleRate: RATE, seconds: 6, channels: 2, seed: 5, rmsDb: -16 });
  const tone = sine({ sampleRate: RATE, frequency: 60, amplitudeDbfs: -8, seconds: 6, channels: 2 });
  return noise.map((ch, c) => ch.map((v, i) => v + tone[c]![i]! * (i > RATE * 2 && i < RATE * 4 ? 1 : 0.2)));
}

/** Every module of the streaming preset switched on, with audible settings. */
function everythingOn() {
  const base = presetChain("streaming");
  return parseChain({
    ...base,
    modules: base.modules.map((m) => {
      const params: Record<string, unknown> = { ...m.params };
      if (m.type === "eq") Object.assign(params, { b2Gain: 3, b4Gain: -2, b4Mode: "mid", b5Gain: 2, b5Mode: "side" });
      if (m.type === "reverb") params.mixPct = 10;
      if (m.type === "saturation") params.driveDb = 6;
      if (m.type === "imager") Object.assign(params, { widthPct: 120, monoBelowHz: 120 });
      return { ...m, bypass: m.type === "fade" || m.type === "output" ? m.bypass : false, params };
    }),
  });
}

describe("chain block-size invariance", () => {
  const input = programme();
  it("every module on: 128-frame blocks equal 8192-frame blocks bit for bit", () => {
    const chain = everythingOn();
    const a = renderProcessors(chain, input, RATE, 128, 6);
    const b = renderProcessors(chain, input, RATE, 8192, 6);
    expect(a[0]).toEqual(b[0]);
    expect(a[1]).toEqual(b[1]);
    // And the chain did something: the output is not the input.
    let diff = 0;
    for (let i = 0; i < a[0]!.length; i++) diff = Math.max(diff, Math.abs(a[0]![i]! - input[0]![i]!));
    expect(diff).toBeGreaterThan(0.01);
  });

  it.each(PRESET_NAMES)("preset %s: 128 vs 8192 frames bit for bit", (name) => {
    const chain = presetChain(name);
    const a = renderProcessors(chain, input, RATE, 128);
    const b = renderProcessors(chain, input, RATE, 8192);
    expect(a[0]).toEqual(b[0]);
    expect(a[1]).toEqual(b[1]);
  });
});
