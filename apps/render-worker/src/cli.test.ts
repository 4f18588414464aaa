import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav } from "@comaster/codecs";
import { analyzeAudio, sine } from "@comaster/dsp";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli";

const dir = mkdtempSync(join(tmpdir(), "comaster-cli-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("runCli", () => {
  it("prints usage for help (0) and for no command (2)", async () => {
    expect((await run(["help"])).code).toBe(0);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/usage: comaster analyze/);
  });

  it("rejects unknown commands and bad option values with exit 2", async () => {
    expect((await run(["mangle"])).code).toBe(2);
    const bins = await run(["analyze", "x.wav", "--waveform-bins", "-3"]);
    expect(bins.code).toBe(2);
    expect(bins.stderr).toMatch(/--waveform-bins/);
    expect((await run(["analyze"])).code).toBe(2);
  });

  it("streams a WAV longer than one read block to the same figures as the in-memory analyzer", async () => {
    // 10 s at 44.1 kHz is many 16384-frame blocks; the streamed result must equal a one-shot analysis.
    const signal = sine({ sampleRate: 44_100, frequency: 997, amplitudeDbfs: -18, seconds: 10, channels: 2 });
    const bytes = encodeWav(signal, 44_100, "float32");
    const file = join(dir, "long.wav");
    writeFileSync(file, bytes);
    const r = await run(["analyze", file, "--json"]);
    expect(r.code).toBe(0);
    const streamed = JSON.parse(r.stdout);
    const direct = analyzeAudio(signal, 44_100);
    expect(streamed.integratedLufs).toBe(direct.integratedLufs);
    expect(streamed.truePeakDbtp).toBe(direct.truePeakDbtp);
    expect(streamed.loudnessRangeLu).toBe(direct.loudnessRangeLu);
  });
});
