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
  return { out, gainDb: report.loudnessGainDb! };
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

  it("refuses edits of modules and parameters the chain does not have", () => {
    const chain = new WorkletChain({ modules: busyChain().modules as readonly ModulePlan[], loudnessGainDb: 0 }, SR, 2);
    expect(() => chain.setParam("nope", "ratio", 2)).toThrow(/no module "nope"/);
    expect(() => chain.setParam("compressor", "nope", 2)).toThrow(/no parameter "nope"/);
    expect(() => chain.setParam("compressor", "ratio", 4)).not.toThrow();
    expect(() => chain.setBypass("fade", true)).not.toThrow();
  });
});
