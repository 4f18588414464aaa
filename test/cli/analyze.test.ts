import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeWav, parseWavHeader } from "@comaster/codecs";
import { sine } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { which } from "../../scripts/lib/tools.mjs";
import { comaster } from "../support/cli";
import { needTools } from "../support/services";
import { tempDir } from "../support/tmp";

const dir = tempDir("cli");
const REQUIRED_KEYS = [
  "sampleRate",
  "channels",
  "durationSeconds",
  "integratedLufs",
  "loudnessRangeLu",
  "truePeakDbtp",
  "samplePeakDbfs",
  "plrDb",
  "dcOffset",
  "correlation",
  "clippedSamples",
] as const;

function writeSineWav(name: string, format: "pcm16" | "pcm24" | "float32" = "pcm24"): string {
  const path = join(dir, name);
  const signal = sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -23, seconds: 12, channels: 2 });
  writeFileSync(path, encodeWav(signal, 48_000, format));
  return path;
}

/** Every number in a JSON value is finite (JSON.parse would already refuse NaN; this guards the rest). */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === "object") return Object.values(value).every(allFinite);
  return true;
}

describe("comaster analyze", () => {
  it("prints one JSON object with the required figures of a −23 dBFS stereo sine", () => {
    const file = writeSineWav("sine.wav");
    const r = comaster(["analyze", file, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    for (const key of REQUIRED_KEYS) expect(json).toHaveProperty(key);
    expect(json.sampleRate).toBe(48_000);
    expect(json.channels).toBe(2);
    expect(json.durationSeconds).toBeCloseTo(12, 6);
    expect(json.integratedLufs).toBeCloseTo(-23, 1);
    expect(json.truePeakDbtp).toBeCloseTo(-23, 0);
    expect(json.correlation).toBeCloseTo(1, 6);
    expect(json.clippedSamples).toBe(0);
    expect(allFinite(json)).toBe(true);
  });

  it("includes a waveform overview on request", () => {
    const file = writeSineWav("overview.wav", "pcm16");
    const r = comaster(["analyze", file, "--json", "--waveform-bins", "200"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.waveform.bins).toBe(200);
    expect(json.waveform.max[0]).toHaveLength(200);
  });

  it("prints a readable report without --json", () => {
    const r = comaster(["analyze", writeSineWav("human.wav")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Integrated\s+-23\.0 LUFS/);
    expect(r.stdout).toMatch(/True peak\s+-2\d\.\d\d dBTP/);
  });

  it("reports NaN and infinite float samples and keeps every figure finite", () => {
    const signal = sine({ sampleRate: 44_100, frequency: 440, amplitudeDbfs: -20, seconds: 5, channels: 2 });
    const bytes = encodeWav(signal, 44_100, "float32");
    // encodeWav refuses to write non-finite samples, so poke them into the data chunk.
    const { dataOffset } = parseWavHeader(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const poke = (frame: number, ch: number, v: number) => view.setFloat32(dataOffset + (frame * 2 + ch) * 4, v, true);
    poke(1000, 0, Number.NaN);
    poke(2000, 1, Number.POSITIVE_INFINITY);
    poke(3000, 1, Number.NEGATIVE_INFINITY);
    const file = join(dir, "nan.wav");
    writeFileSync(file, bytes);
    const r = comaster(["analyze", file, "--json"]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.nonFiniteSamples).toBe(3);
    expect(allFinite(json)).toBe(true);
    expect(json.samplePeakDbfs).toBeLessThan(-19);
  });
});

describe("comaster analyze: bad input exits 2 with one line naming the file", () => {
  const valid = () =>
    encodeWav(
      sine({ sampleRate: 44_100, frequency: 440, amplitudeDbfs: -20, seconds: 1, channels: 2 }),
      44_100,
      "pcm16",
    );
  const cases: [string, () => string, RegExp][] = [
    ["zero-length file", () => file("empty.wav", new Uint8Array()), /empty/i],
    ["truncated header", () => file("trunc.wav", valid().subarray(0, 20)), /truncat/i],
    [
      "corrupt header (zero channels)",
      () => {
        const b = valid();
        b[22] = 0;
        b[23] = 0;
        return file("corrupt.wav", b);
      },
      /channel|corrupt/i,
    ],
    [
      "unsupported codec (ADPCM in WAV)",
      () => {
        const b = valid();
        b[20] = 2;
        return file("adpcm.wav", b);
      },
      /unsupported/i,
    ],
    [
      "unsupported codec (Ogg)",
      () => file("a.ogg", Uint8Array.from([..."OggS"].map((c) => c.charCodeAt(0)).concat(new Array(200).fill(0)))),
      /ogg/i,
    ],
    [
      "not audio (text)",
      () => file("notes.txt", new TextEncoder().encode("these are my mastering notes\n".repeat(40))),
      /not an audio file/i,
    ],
    ["missing file", () => join(dir, "does-not-exist.wav"), /no such file/i],
    [
      "a directory",
      () => {
        const d = join(dir, "folder.wav");
        mkdirSync(d, { recursive: true });
        return d;
      },
      /directory/i,
    ],
  ];

  function file(name: string, bytes: Uint8Array): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it.each(cases)("%s", (_name, make, reason) => {
    const path = make();
    const r = comaster(["analyze", path, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(reason);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.runIf(needTools("FIFO input", ["mkfifo"]))("a FIFO (without blocking on it)", () => {
    const path = join(dir, "pipe.wav");
    spawnSync(which("mkfifo")!, [path]);
    const r = comaster(["analyze", path, "--json"], 10_000);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/FIFO/);
  });

  it("a usage error (unknown option)", () => {
    const r = comaster(["analyze", "x.wav", "--loud"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: comaster/);
  });
});

describe.runIf(needTools("damaged compressed files", ["ffmpeg"]))("comaster analyze: damaged FLAC and MP3", () => {
  const damaged = (ext: "flac" | "mp3") => {
    const wav = writeSineWav(`src-${ext}.wav`, "pcm16");
    const out = join(dir, `damaged.${ext}`);
    spawnSync("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, out]);
    const bytes = new Uint8Array(readFileSync(out));
    // Scribble over a stretch in the middle, then cut the tail off mid-frame.
    for (let i = Math.floor(bytes.length * 0.4); i < bytes.length * 0.45; i++) bytes[i] = (i * 7919) & 0xff;
    const path = join(dir, `damaged-cut.${ext}`);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    return path;
  };

  it.each(["flac", "mp3"] as const)("%s: decoder chatter never reaches stderr; figures stay finite", (ext) => {
    const r = comaster(["analyze", damaged(ext), "--json"]);
    if (r.status === 0) {
      expect(r.stderr).toBe("");
      const json = JSON.parse(r.stdout);
      expect(allFinite(json)).toBe(true);
      expect(json.warnings.length).toBeGreaterThan(0);
    } else {
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
