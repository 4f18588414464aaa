import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { presetChain } from "@comaster/chain";
import { decodeAudio, encodeWav } from "@comaster/codecs";
import { pinkNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { comaster } from "../support/cli";
import { tempDir } from "../support/tmp";

const dir = tempDir("master");
const BIN = new URL("../../apps/render-worker/bin/comaster.js", import.meta.url).pathname;

function writeMix(name: string, seconds: number, rate = 44_100): string {
  const path = join(dir, name);
  const noise = pinkNoise({ sampleRate: rate, seconds, channels: 2, seed: 3, rmsDb: -26 });
  writeFileSync(path, encodeWav(noise, rate, "pcm24"));
  return path;
}

const mix = writeMix("mix.wav", 8);

/** A chain file with every module on (audible settings), so the pipeline splits real work. */
function chainWithEverythingOn(): string {
  const tweaks: Record<string, object> = {
    eq: { b2Gain: 2, b5Gain: -1 },
    imager: { widthPct: 120 },
    fade: { inS: 0.5, outS: 1 },
  };
  const preset = presetChain("streaming");
  const modules = preset.modules.map((m) => ({ ...m, bypass: false, params: { ...m.params, ...tweaks[m.type] } }));
  const path = join(dir, "all-on.json");
  writeFileSync(path, JSON.stringify({ ...preset, modules }));
  return path;
}

/** Files in the folder that are not test inputs: outputs and any leftover temporary file. */
const leftovers = () => readdirSync(dir).filter((f) => f.includes(".comaster-") || f.endsWith(".tmp"));

describe("comaster master", () => {
  it("renders the streaming preset and prints the output's analysis with --json", () => {
    const out = join(dir, "out.wav");
    const r = comaster(["master", mix, out, "--preset", "streaming", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    for (const key of ["sampleRate", "channels", "durationSeconds", "integratedLufs", "truePeakDbtp", "plrDb"]) {
      expect(json).toHaveProperty(key);
    }
    expect(Math.abs(json.integratedLufs - -14)).toBeLessThanOrEqual(0.2);
    expect(json.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(json.bitsPerSample).toBe(24);
    expect(existsSync(out)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ["wav16", "o16.wav", "wav", 16],
    ["flac", "o.flac", "flac", 24],
    ["mp3", "o.mp3", "mp3", null],
  ] as const)("--format %s writes a file that decodes as %s", async (format, name, container, bits) => {
    const out = join(dir, name);
    const r = comaster(["master", mix, out, "--format", format, "--target", "-16"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const decoded = await decodeAudio(new Uint8Array(readFileSync(out)));
    expect(decoded.format).toBe(container);
    expect(decoded.bitsPerSample).toBe(bits);
  });

  it("the two-thread pipeline writes exactly what one thread writes", () => {
    const one = join(dir, "one-thread.wav");
    const two = join(dir, "two-threads.wav");
    const all = chainWithEverythingOn();
    expect(comaster(["master", mix, two, "--chain", all]).status).toBe(0);
    expect(comaster(["master", mix, one, "--chain", all], 60_000, { COMASTER_THREADS: "1" }).status).toBe(0);
    expect(Buffer.compare(readFileSync(one), readFileSync(two))).toBe(0);
  });

  it("preset --all-on prints a chain document that master accepts", () => {
    const r = comaster(["preset", "loud", "--all-on"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.modules.every((m: { bypass: boolean }) => !m.bypass)).toBe(true);
    const file = join(dir, "loud.json");
    writeFileSync(file, r.stdout);
    expect(comaster(["master", mix, join(dir, "loud.wav"), "--chain", file]).status).toBe(0);
  });

  it("--sample-rate resamples", async () => {
    const out = join(dir, "o48.wav");
    expect(comaster(["master", mix, out, "--sample-rate", "48000"]).status).toBe(0);
    expect((await decodeAudio(new Uint8Array(readFileSync(out)))).sampleRate).toBe(48_000);
  });
});

describe("comaster master: bad input exits 2, names the problem, writes nothing", () => {
  const chainFile = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cases: [string, () => string[], RegExp][] = [
    ["chain file is not JSON", () => ["--chain", chainFile("bad.json", "{ modules: [")], /bad\.json: not valid JSON/],
    [
      "parameter out of range names module and parameter",
      () => [
        "--chain",
        chainFile(
          "range.json",
          JSON.stringify({
            schemaVersion: 1,
            modules: [{ id: "lim", type: "limiter", bypass: false, params: { ceilingDbtp: 3 } }],
          }),
        ),
      ],
      /module "lim" \(limiter\): ceilingDbtp = 3 is out of range/,
    ],
    [
      "unknown module type",
      () => [
        "--chain",
        chainFile("type.json", JSON.stringify({ schemaVersion: 1, modules: [{ id: "x", type: "flanger" }] })),
      ],
      /flanger/,
    ],
    ["--target out of range", () => ["--target", "-80"], /targetLufs = [−-]80 is out of range −30…−5 LUFS/],
    ["unknown preset", () => ["--preset", "louder"], /unknown preset "louder"/],
    ["missing chain file", () => ["--chain", join(dir, "nope.json")], /nope\.json: no such file/],
    ["bad format", () => ["--format", "ogg"], /--format must be one of/],
  ];

  it.each(cases)("%s", (_name, extra, message) => {
    const out = join(dir, "never.wav");
    const r = comaster(["master", mix, out, ...extra()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it("bad audio input writes nothing", () => {
    const bad = chainFile("notaudio.wav", "hello, this is text");
    const out = join(dir, "never2.wav");
    const r = comaster(["master", bad, out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe("comaster master: a crash never leaves a half file under OUT", () => {
  const long = writeMix("long.wav", 240);

  const runAndSignal = (signal: NodeJS.Signals, out: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, "master", long, out], { stdio: "ignore" });
      // Wait until a pass is writing (a temporary file exists), then signal.
      const poll = setInterval(() => {
        if (readdirSync(dir).some((f) => f.startsWith(`.${out.split("/").pop()}.comaster-`))) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 20);
      child.on("exit", (code) => {
        clearInterval(poll);
        resolve(code);
      });
    });

  it("SIGKILL mid-render: OUT does not exist", async () => {
    const out = join(dir, "killed.wav");
    await runAndSignal("SIGKILL", out);
    expect(existsSync(out)).toBe(false);
  });

  it("SIGTERM mid-render: OUT does not exist and the temporary file is removed", async () => {
    const out = join(dir, "terminated.wav");
    const code = await runAndSignal("SIGTERM", out);
    expect(code).not.toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith(".terminated.wav."))).toEqual([]);
  });
});
