import { parseChain, presetChain } from "@comaster/chain";
import { analyzeAudio, dbToGain, LoudnessMeter, type ModulePlan, master, pinkNoise, sine } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { matchedBypassGainDb } from "./loudnessMatch";

const SR = 44_100;
const SECONDS = 10;

/** A seeded music-like stereo mix: pink noise at −26 dB RMS with a decaying 55 Hz kick every second. */
function mix(): Float32Array[] {
  const noise = pinkNoise({ sampleRate: SR, seconds: SECONDS, channels: 2, rmsDb: -26, seed: 21 });
  const [bass] = sine({ sampleRate: SR, frequency: 55, amplitudeDbfs: -12, seconds: SECONDS });
  return noise.map((x) => x.map((v, i) => v + bass![i]! * Math.exp(-((i % SR) / SR) * 6)));
}

function integrated(channels: Float32Array[]): number {
  const meter = new LoudnessMeter();
  meter.prepare({ sampleRate: SR, channels: 2, maxBlockFrames: channels[0]!.length });
  meter.process(channels);
  return meter.integrated()!;
}

/** packages/dsp's `master` (the export's renderer) with the streaming preset, to 32-bit float. */
async function masterOf(input: Float32Array[]) {
  const frames = input[0]!.length;
  const modules = parseChain(presetChain("streaming")).modules as readonly ModulePlan[];
  expect(modules.find((m) => m.type === "loudness")?.params).toMatchObject({ targetLufs: -14 });
  const out = input.map(() => new Float32Array(frames));
  const report = await master(
    {
      sampleRate: SR,
      channels: 2,
      frames,
      async *blocks() {
        yield { channels: input, frames };
      },
    },
    {
      modules,
      output: { bitDepth: "32f" },
      openSink: async () => {
        let at = 0;
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
  return { out, report };
}

describe("loudness-matched bypass", () => {
  it("brings the dry mix within 0.5 LU of the master (streaming preset, −14 LUFS)", async () => {
    const dry = mix();
    const { out: mastered, report } = await masterOf(dry);
    // The figures the preview engine has: the upload's analysis and the render's report.
    const gainDb = matchedBypassGainDb(analyzeAudio(dry, SR).integratedLufs, report.analysis.integratedLufs);
    const g = dbToGain(gainDb);
    const matched = dry.map((x) => x.map((v) => v * g));
    // Both paths as they leave the preview, measured again here.
    const mixLufs = integrated(dry);
    const masterLufs = integrated(mastered);
    const matchedLufs = integrated(matched);
    console.log(
      `bypass: mix ${mixLufs.toFixed(2)} LUFS, master ${masterLufs.toFixed(2)} LUFS, ` +
        `gain ${gainDb.toFixed(2)} dB, matched mix ${matchedLufs.toFixed(2)} LUFS`,
    );
    // Without the gain, A/B would be a loudness comparison: the test must be able to fail.
    expect(Math.abs(masterLufs - mixLufs)).toBeGreaterThan(3);
    expect(Math.abs(matchedLufs - masterLufs)).toBeLessThanOrEqual(0.5);
  });

  it("is master − mix, and 0 when either loudness is unknown", () => {
    expect(matchedBypassGainDb(-24, -14)).toBe(10);
    expect(matchedBypassGainDb(-9, -14)).toBe(-5);
    expect(matchedBypassGainDb(null, -14)).toBe(0);
    expect(matchedBypassGainDb(-20, null)).toBe(0);
    expect(matchedBypassGainDb(Number.NEGATIVE_INFINITY, -14)).toBe(0);
  });
});
