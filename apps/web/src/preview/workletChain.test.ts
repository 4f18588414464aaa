import { parseChain, presetChain } from "@comaster/chain";
import { type ModulePlan, master, pinkNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { WorkletChain } from "./workletChain";

const SR = 44_100;
const FRAMES = SR * 2 + 77; // not a multiple of 128

/** Streaming preset with EQ moves, saturation, multiband and fades on: a chain that does a lot. */
function busyChain() {
  const base = presetChain("streaming");
  return parseChain({
    ...base,
    modules: base.modules.map((m) => {
      if (m.type === "eq") return { ...m, params: { ...m.params, b1Gain: 3, b4Gain: -2, b6Gain: 2 } };
      if (m.type === "saturation" || m.type === "multiband") return { ...m, bypass: false };
      if (m.type === "fade") return { ...m, bypass: false, params: { inS: 0.25, outS: 0.5, curve: "sCurve" } };
      return m;
    }),
  });
}

/** `modules` with the fade bypassed (everything else as it was). */
const withoutFade = (modules: readonly ModulePlan[]) =>
  modules.map((m) => (m.type === "fade" ? { ...m, bypass: true } : m));

/**
 * Renders `input` (programme frames) through `chain` in 128-frame blocks as the live preview would
 * after a seek: programme frames from 0 on, then, from input frame `seekAt` (not a block boundary),
 * programme frames from `seekTo` on (`setPosition` for the block holding `seekAt`), until the output
 * has carried the end of the programme out of the chain, and 512 frames more. Returns the output and the programme
 * frame each output frame stands for (−1: the chain's pre-roll).
 */
function renderWithSeek(chain: WorkletChain, input: Float32Array[], seekAt: number, seekTo: number) {
  const total = seekAt + (FRAMES - seekTo) + chain.latencyFrames + 512;
  const out = [new Float32Array(total), new Float32Array(total)];
  const programmeOf = new Float64Array(total).fill(-1);
  const block = [new Float32Array(128), new Float32Array(128)];
  const x = [new Float32Array(128), new Float32Array(128)];
  for (let at = 0; at < total; at += 128) {
    const n = Math.min(128, total - at);
    if (seekAt >= at && seekAt < at + n) chain.setPosition(seekTo, seekAt - at);
    for (let i = 0; i < n; i++) {
      const p = at + i < seekAt ? at + i : seekTo + (at + i - seekAt);
      for (let c = 0; c < 2; c++) x[c]![i] = p < FRAMES ? input[c]![p]! : 0;
      const o = at + i + chain.latencyFrames;
      if (o < total) programmeOf[o] = p;
    }
    chain.process(
      x.map((c) => c.subarray(0, n)),
      block,
      n,
    );
    for (let c = 0; c < 2; c++) out[c]!.set(block[c]!.subarray(0, n), at);
  }
  return { out, programmeOf };
}

async function exportOf(modules: readonly ModulePlan[], input: Float32Array[]) {
  const out = input.map(() => new Float32Array(FRAMES));
  let at = 0;
  const report = await master(
    {
      sampleRate: SR,
      channels: 2,
      frames: FRAMES,
      async *blocks() {
        yield { channels: input, frames: FRAMES };
      },
    },
    {
      modules,
      output: { bitDepth: "32f" },
      openSink: async () => {
        at = 0;
        return {
          async write(channels, n) {
            for (let c = 0; c < 2; c++) out[c]!.set(channels[c]!.subarray(0, n), at);
            at += n;
          },
          async close() {},
        };
      },
    },
  );
  return { out, gainDb: report.loudnessGainDb ?? 0 };
}

describe("WorkletChain", () => {
  it("gives the export's 32-bit float samples, bit for bit, in 128-frame blocks", async () => {
    const input = pinkNoise({ sampleRate: SR, seconds: FRAMES / SR, channels: 2, rmsDb: -24, seed: 3 }).map((x) =>
      x.slice(0, FRAMES),
    );
    const modules = busyChain().modules as readonly ModulePlan[];
    const { out, gainDb } = await exportOf(modules, input);

    const chain = new WorkletChain({ modules, loudnessGainDb: gainDb, programmeFrames: FRAMES }, SR, 2);
    const total = FRAMES + chain.latencyFrames;
    const rendered = [new Float32Array(total), new Float32Array(total)];
    const block = [new Float32Array(128), new Float32Array(128)];
    for (let at = 0; at < total; at += 128) {
      const n = Math.min(128, total - at);
      const x = input.map((c) => c.slice(Math.min(at, FRAMES), Math.min(at + n, FRAMES)));
      chain.process(
        x.map((c) => {
          const padded = new Float32Array(n);
          padded.set(c);
          return padded;
        }),
        block,
        n,
      );
      for (let c = 0; c < 2; c++) rendered[c]!.set(block[c]!.subarray(0, n), at);
    }
    expect(chain.latencyFrames).toBeGreaterThan(0);
    for (let c = 0; c < 2; c++) expect(rendered[c]!.subarray(chain.latencyFrames)).toEqual(out[c]);
  });

  it("after a seek into the fade-out, fades as the export does at that programme time", async () => {
    const input = pinkNoise({ sampleRate: SR, seconds: FRAMES / SR, channels: 2, rmsDb: -24, seed: 5 }).map((x) =>
      x.slice(0, FRAMES),
    );
    // Fade in 0.25 s, out 0.5 s; the loudness stage off, so the export runs one pass with or
    // without the fade (its correction pass would otherwise give the two different gains).
    const modules = (busyChain().modules as readonly ModulePlan[]).map((m) =>
      m.type === "loudness" ? { ...m, bypass: true } : m,
    );
    // The export's gain curve: its output with the fade over its output without.
    const faded = await exportOf(modules, input);
    const plain = await exportOf(withoutFade(modules), input);

    // The preview plays from the start, then jumps 0.3 s before the end: the fade-out is under way.
    const seekAt = 128 * 20 + 37; // inside the fade-in, mid-block
    const seekTo = FRAMES - Math.round(0.3 * SR);
    const load = { loudnessGainDb: 0, programmeFrames: FRAMES };
    const on = renderWithSeek(new WorkletChain({ ...load, modules }, SR, 2), input, seekAt, seekTo);
    const off = renderWithSeek(
      new WorkletChain({ ...load, modules: withoutFade(modules) }, SR, 2),
      input,
      seekAt,
      seekTo,
    );

    let compared = 0;
    let maxError = 0;
    let minGain = 1;
    let afterSeek = 0;
    for (let c = 0; c < 2; c++) {
      for (let o = 0; o < on.out[c]!.length; o++) {
        const p = on.programmeOf[o]!;
        const dry = off.out[c]![o]!;
        if (p < 0 || p >= FRAMES) continue;
        const exportDry = plain.out[c]![p]!;
        if (Math.abs(dry) < 1e-3 || Math.abs(exportDry) < 1e-3) continue;
        const gain = on.out[c]![o]! / dry;
        const exportGain = faded.out[c]![p]! / exportDry;
        maxError = Math.max(maxError, Math.abs(gain - exportGain));
        minGain = Math.min(minGain, exportGain);
        if (p >= seekTo) afterSeek++;
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(afterSeek).toBeGreaterThan(10_000);
    expect(minGain).toBeLessThan(0.05); // deep in the fade-out: a fade at the wrong time would be far off
    expect(maxError).toBeLessThan(1e-5);
    // The frames after the programme's end are cut, as in the export (the chain's tail is not).
    const end = on.programmeOf.indexOf(FRAMES);
    expect(end).toBeGreaterThan(seekAt);
    for (let c = 0; c < 2; c++) {
      expect(off.out[c]![end - 1]).not.toBe(0);
      expect(off.out[c]!.subarray(end).every((v) => v === 0)).toBe(true);
    }
  });

  it("reports the gain reduction of its dynamics modules, 0 for a bypassed one", () => {
    const modules = busyChain().modules as readonly ModulePlan[];
    const chain = new WorkletChain({ modules, loudnessGainDb: 12 }, SR, 2);
    expect(chain.meteredIds).toEqual(["compressor", "multiband", "deesser", "limiter"]);
    const loud = pinkNoise({ sampleRate: SR, seconds: 0.5, channels: 2, rmsDb: -12, seed: 9 });
    const block = [new Float32Array(128), new Float32Array(128)];
    for (let at = 0; at + 128 <= loud[0]!.length; at += 128) {
      chain.process(
        loud.map((x) => x.subarray(at, at + 128)),
        block,
        128,
      );
    }
    const gr = new Float32Array(4);
    chain.readGainReduction(gr);
    const [compressor, multiband, deesser, limiter] = gr;
    expect(limiter).toBeGreaterThan(3); // −12 dB RMS + 12 dB into a −1 dBTP ceiling
    expect(compressor).toBeGreaterThan(0);
    expect(multiband).toBeGreaterThanOrEqual(0);
    expect(deesser).toBe(0); // bypassed in the streaming preset
    chain.setBypass("limiter", true);
    chain.readGainReduction(gr);
    expect(gr[3]).toBe(0);
  });

  it("refuses edits of modules and parameters the chain does not have", () => {
    const chain = new WorkletChain({ modules: busyChain().modules as readonly ModulePlan[], loudnessGainDb: 0 }, SR, 2);
    expect(() => chain.setParam("nope", "ratio", 2)).toThrow(/no module "nope"/);
    expect(() => chain.setParam("compressor", "nope", 2)).toThrow(/no parameter "nope"/);
    expect(() => chain.setParam("compressor", "ratio", 4)).not.toThrow();
    expect(() => chain.setBypass("fade", true)).not.toThrow();
  });
});
