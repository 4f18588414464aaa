import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliMessage } from "../cli/spawnCli";
import { analyzeWithCli, createCliAnalyzer, resolveCliPath } from "./analyzeWithCli";
import { wavBytes } from "./testUploads";

let dir: string;
let wav: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comaster-cli-"));
  wav = join(dir, "mix.wav");
  await writeFile(wav, wavBytes(1));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A stand-in CLI: a Node script with the given body. */
async function fakeCli(name: string, body: string): Promise<string> {
  const path = join(dir, `${name}.mjs`);
  await writeFile(path, body);
  return path;
}

describe("analyzeWithCli (the built CLI)", () => {
  it("returns the figures and a 1000-bin waveform", async () => {
    const a = await analyzeWithCli(wav);
    expect(a).toMatchObject({ format: "wav", sampleRate: 48_000, channels: 2, frames: 48_000, durationSeconds: 1 });
    expect(a.integratedLufs).toBeLessThan(-3);
    expect(a.waveform?.bins).toBe(1000);
    expect(a.waveform?.min).toHaveLength(2);
  });

  it("reports a file the decoder rejects as UNREADABLE_AUDIO without the temp path", async () => {
    const bad = join(dir, "upload-123.part");
    await writeFile(bad, wavBytes(1).slice(0, 44));
    const err = await analyzeWithCli(bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNREADABLE_AUDIO", status: 422, message: "the file holds no audio frames" });
  });

  it("reports the analysis process's peak memory when asked", async () => {
    let kb = 0;
    await createCliAnalyzer({ onMaxRss: (k) => (kb = k) })(wav);
    expect(kb).toBeGreaterThan(1000);
  });
});

describe("analyzeWithCli failures", () => {
  it("a crash (exit 1) is ANALYSIS_FAILED, with the CLI's message kept as the cause", async () => {
    const cliPath = await fakeCli(
      "crash",
      'process.stderr.write("comaster: internal error: boom\\n"); process.exit(1);',
    );
    const err = await createCliAnalyzer({ cliPath })(wav).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ANALYSIS_FAILED", status: 500 });
    expect(String((err as Error).cause)).toMatch(/code 1: internal error: boom/);
  });

  it("a process killed by a signal is ANALYSIS_FAILED", async () => {
    const cliPath = await fakeCli("killed", 'process.kill(process.pid, "SIGKILL");');
    await expect(createCliAnalyzer({ cliPath })(wav)).rejects.toMatchObject({ code: "ANALYSIS_FAILED" });
  });

  it("a hung analysis is killed after the timeout", async () => {
    const cliPath = await fakeCli("hang", "setInterval(() => {}, 1000);");
    const err = await createCliAnalyzer({ cliPath, timeoutMs: 300 })(wav).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ANALYSIS_FAILED", message: expect.stringMatching(/took longer than/) });
  });

  it("output that is not the analysis JSON is ANALYSIS_FAILED", async () => {
    const notJson = await fakeCli("text", 'console.log("integrated: -14 LUFS");');
    await expect(createCliAnalyzer({ cliPath: notJson })(wav)).rejects.toMatchObject({
      code: "ANALYSIS_FAILED",
      message: expect.stringMatching(/other than JSON/),
    });
    const missing = await fakeCli("partial", 'console.log(JSON.stringify({ format: "wav", sampleRate: 48000 }));');
    await expect(createCliAnalyzer({ cliPath: missing })(wav)).rejects.toMatchObject({
      code: "ANALYSIS_FAILED",
      message: expect.stringMatching(/missing figures/),
    });
  });
});

describe("cliMessage", () => {
  it("drops the program prefix, the temp path and the memory report", () => {
    const path = "/tmp/x/upload-1.part";
    expect(cliMessage(`maxrss_kb=1234\ncomaster: ${path}: truncated WAV header: fmt chunk\n`, path)).toBe(
      "truncated WAV header: fmt chunk",
    );
  });
});

describe("resolveCliPath", () => {
  it("takes COMASTER_CLI first", () => {
    expect(resolveCliPath({ COMASTER_CLI: "/opt/comaster/cli.js" })).toBe("/opt/comaster/cli.js");
  });

  it("otherwise finds apps/render-worker/dist/cli.js above the working directory", () => {
    expect(resolveCliPath({})).toMatch(/apps[/\\]render-worker[/\\]dist[/\\]cli\.js$/);
  });
});
