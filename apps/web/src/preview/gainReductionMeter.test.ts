import { parseChain, presetChain } from "@comaster/chain";
import { type ModulePlan, pinkNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { GainReductionMeter, type GainReductionSource } from "./gainReductionMeter";
import { WorkletChain } from "./workletChain";

/** A source that reports, block after block, the values given. */
function scripted(blocks: readonly (readonly number[])[]): GainReductionSource {
  let i = 0;
  return {
    readGainReduction(out) {
      const v = blocks[Math.min(i++, blocks.length - 1)]!;
      out.set(v);
    },
  };
}

describe("GainReductionMeter", () => {
  it("holds each module's peak over the interval and starts again after a reading", () => {
    const meter = new GainReductionMeter(2, 384); // three 128-frame blocks
    const source = scripted([
      [1, 0],
      [6, 0.5],
      [2, 0],
      [0.5, 3],
      [0, 0],
      [0, 0],
    ]);
    expect(meter.update(source, 128)).toBe(false);
    expect(meter.update(source, 128)).toBe(false);
    expect(meter.update(source, 128)).toBe(true);
    expect([...meter.reading]).toEqual([6, 0.5]);
    expect(meter.update(source, 128)).toBe(false);
    expect(meter.update(source, 128)).toBe(false);
    expect(meter.update(source, 128)).toBe(true);
    expect([...meter.reading]).toEqual([0.5, 3]); // the 6 dB of the last interval is gone
  });

  it("reports a run of zero readings once, then nothing until the gain moves again", () => {
    const meter = new GainReductionMeter(1, 128);
    const zero = scripted([[0]]);
    expect(meter.update(zero, 128)).toBe(true);
    expect(meter.update(zero, 128)).toBe(false);
    expect(meter.update(zero, 128)).toBe(false);
    expect(meter.update(scripted([[2]]), 128)).toBe(true);
    expect(meter.update(zero, 128)).toBe(true);
    expect(meter.reading[0]).toBe(0);
  });

  it("counts intervals in frames, whatever the block size", () => {
    const meter = new GainReductionMeter(1, 1470); // 1/30 s at 44.1 kHz
    const source = scripted([[1]]);
    let readings = 0;
    for (let i = 0; i < 345; i++) if (meter.update(source, 128)) readings++; // 1 s
    expect(readings).toBe(30);
    expect(new GainReductionMeter(0, 1470).update(source, 128)).toBe(false);
  });

  it("shows a limiter pushed by a loud mix, and nothing for a bypassed de-esser", () => {
    const modules = parseChain(presetChain("streaming")).modules as readonly ModulePlan[];
    const chain = new WorkletChain({ modules, loudnessGainDb: 10 }, 48_000, 2);
    const ids = chain.meteredIds;
    const meter = new GainReductionMeter(ids.length, 1600);
    const mix = pinkNoise({ sampleRate: 48_000, seconds: 1, channels: 2, rmsDb: -14, seed: 4 });
    const block = [new Float32Array(128), new Float32Array(128)];
    const peaks = new Float32Array(ids.length);
    for (let at = 0; at + 128 <= mix[0]!.length; at += 128) {
      chain.process(
        mix.map((x) => x.subarray(at, at + 128)),
        block,
        128,
      );
      if (meter.update(chain, 128))
        for (let i = 0; i < ids.length; i++) peaks[i] = Math.max(peaks[i]!, meter.reading[i]!);
    }
    expect(peaks[ids.indexOf("compressor")]).toBeGreaterThan(3);
    expect(peaks[ids.indexOf("limiter")]).toBeGreaterThan(1);
    expect(peaks[ids.indexOf("deesser")]).toBe(0);
    expect(peaks[ids.indexOf("multiband")]).toBe(0); // bypassed too
  });
});
