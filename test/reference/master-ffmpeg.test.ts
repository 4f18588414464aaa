// The acceptance check of the master: real music (FluidSynth) mastered by `comaster master`, measured
// by ffmpeg's ebur128 — an independent meter — in the same run.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegEbur128 } from "../../scripts/lib/ffmpeg.mjs";
import { comaster } from "../support/cli";
import { renderSong } from "../support/music";
import { needTools } from "../support/services";
import { tempDir } from "../support/tmp";

const ready = needTools("master vs ffmpeg", ["ffmpeg", "fluidsynth", "soundfont"]);

describe.runIf(ready)("mastered music measured by ffmpeg ebur128", () => {
  const dir = tempDir("master-ref");
  const cases = [
    [
      "quiet 44.1 kHz mix → streaming (−14 LUFS, −1 dBTP), WAV 24",
      { seed: 7, sampleRate: 44_100, gain: 0.25 },
      ["--preset", "streaming"],
      -14,
      -1,
    ],
    [
      "hot 48 kHz mix → streaming, FLAC",
      { seed: 3, sampleRate: 48_000, gain: 0.8 },
      ["--preset", "streaming", "--format", "flac"],
      -14,
      -1,
    ],
    [
      "44.1 kHz mix → broadcast (−23 LUFS)",
      { seed: 5, sampleRate: 44_100, gain: 0.5 },
      ["--preset", "broadcast"],
      -23,
      -1,
    ],
  ] as const;

  it.each(cases)("%s", (name, song, args, target, ceiling) => {
    const input = renderSong(dir, name.slice(0, 5).replace(/\W/g, ""), { seconds: 45, ...song });
    const out = join(
      dir,
      `${name.length}-${song.seed}.${(args as readonly string[]).includes("flac") ? "flac" : "wav"}`,
    );
    const r = comaster(["master", input, out, ...args]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const ref = ffmpegEbur128(out);
    expect(Math.abs(ref.integratedLufs - target)).toBeLessThanOrEqual(0.2);
    expect(ref.truePeakDbtp).toBeLessThanOrEqual(ceiling);
  });
});
