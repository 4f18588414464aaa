// The offline master: loudness target in passes, true-peak ceiling, latency compensation, output
// stage. Measured with the project's own meter here; test/reference checks against ffmpeg.
import { presetChain } from "@comaster/chain";
import { type MasterSource, type ModulePlan, master, pinkNoise, sine, TruePeakMeter } from "@comaster/dsp";
import { describe, expect, it } from "vitest";

function memorySource(channels: Float32Array[], sampleRate: number, block = 8192): MasterSource {
  const frames = channels[0]!.length;
  return {
    sampleRate,
    channels: channels.length,
    frames,
    async *blocks() {
      for (let at = 0; at < frames; at += block) {
        const end = Math.min(frames, at + block);
        yield { channels: channels.map((c) => c.subarray(at, end)), frames: end - at };
      }
    },
  };
}

/** Collects every pass's output; returns the accepted one. */
function collector() {
  const passes: Float32Array[][][] = [];
  return {
    passes,
    openSink: async () => {
      const blocks: Float32Array[][] = [];
      passes.push(blocks);
      return {
        write: async (ch: readonly Float32Array[], n: number) => {
          blocks.push(ch.map((c) => c.slice(0, n)));
        },
        close: async () => {},
      };
    },
    joined(pass: number): Float32Array[] {
      const blocks = passes[pass - 1]!;
      const n = blocks.reduce((a, b) => a + b[0]!.length, 0);
      return blocks[0]!.map((_, c) => {
        const out = new Float32Array(n);
        let at = 0;
        for (const b of blocks) {
          out.set(b[c]!, at);
          at += b[c]!.length;
        }
        return out;
      });
    },
  };
}

function music(seconds: number, rate: number): Float32Array[] {
  const noise = pinkNoise({ sampleRate: rate, seconds, channels: 2, seed: 9, rmsDb: -24 });
  const bass = sine({ sampleRate: rate, frequency: 55, amplitudeDbfs: -14, seconds, channels: 2 });
  return noise.map((ch, c) =>
    ch.map(
      (v, i) => v * (1 + 0.8 * Math.sin((2 * Math.PI * i) / rate)) + bass[c]![i]! * (Math.floor(i / (rate / 2)) % 2),
    ),
  );
}

function truePeakDb(channels: Float32Array[], rate: number): number {
  const m = new TruePeakMeter();
  m.prepare({ sampleRate: rate, channels: channels.length, maxBlockFrames: channels[0]!.length });
  m.process(channels, channels[0]!.length);
  return 20 * Math.log10(m.truePeak());
}

describe("master()", () => {
  it.each([
    ["streaming", -14, -1],
    ["apple", -16, -1],
    ["broadcast", -23, -1],
  ] as const)("preset %s lands on %d LUFS within ±0.2 LU, true peak ≤ %d dBTP", async (preset, target, ceiling) => {
    const input = music(20, 44_100);
    const out = collector();
    const report = await master(memorySource(input, 44_100), {
      modules: presetChain(preset).modules as readonly ModulePlan[],
      output: { bitDepth: "32f" },
      openSink: out.openSink,
    });
    expect(report.targetLufs).toBe(target);
    expect(Math.abs(report.analysis.integratedLufs! - target)).toBeLessThanOrEqual(0.2);
    const written = out.joined(report.acceptedPass);
    const rate = report.output.sampleRate;
    expect(written[0]!.length).toBe(Math.ceil((input[0]!.length * rate) / 44_100));
    expect(truePeakDb(written, rate)).toBeLessThanOrEqual(ceiling + 1e-9);
    expect(report.analysis.truePeakDbtp!).toBeLessThanOrEqual(ceiling + 1e-9);
  });

  it("compensates latency: with the limiter far from acting, output lines up with input", async () => {
    const input = sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -30, seconds: 2, channels: 2 });
    const chain = presetChain("streaming");
    const modules = chain.modules.map((m) => ({ ...m, bypass: m.type !== "limiter" })) as ModulePlan[];
    const out = collector();
    const report = await master(memorySource(input, 48_000), {
      modules,
      openSink: out.openSink,
      output: { bitDepth: "32f" },
    });
    const y = out.joined(report.acceptedPass);
    let err = 0;
    for (let i = 0; i < input[0]!.length; i++) err = Math.max(err, Math.abs(y[0]![i]! - input[0]![i]!));
    expect(err).toBeLessThan(1e-6);
  });

  it("resamples to the output rate and dithers to 16 bits", async () => {
    const input = music(5, 48_000);
    const out = collector();
    const report = await master(memorySource(input, 48_000), {
      modules: presetChain("cd").modules as readonly ModulePlan[],
      openSink: out.openSink,
    });
    expect(report.output).toEqual({ sampleRate: 44_100, bitDepth: "16", dither: "tpdfShaped" });
    const y = out.joined(report.acceptedPass);
    expect(Math.abs(y[0]!.length - Math.round((input[0]!.length * 44_100) / 48_000))).toBeLessThanOrEqual(1);
    for (const v of y[0]!.subarray(0, 5000)) expect(Number.isInteger(v * 32768)).toBe(true);
  });

  it("reports a target the material cannot reach instead of looping", async () => {
    const input = music(8, 44_100);
    const out = collector();
    const report = await master(memorySource(input, 44_100), {
      modules: presetChain("streaming", { targetLufs: -5, ceilingDbtp: -6 }).modules as readonly ModulePlan[],
      openSink: out.openSink,
      output: { bitDepth: "32f" },
    });
    expect(report.passes).toBeLessThanOrEqual(4);
    expect(report.warnings.join(" ")).toMatch(/not reached/);
    expect(report.analysis.truePeakDbtp!).toBeLessThanOrEqual(-6 + 1e-9);
  });
});
