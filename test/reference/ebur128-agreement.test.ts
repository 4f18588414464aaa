// Our meter against an independent one: ffmpeg's ebur128 filter, on real instrument recordings
// (FluidSynth rendering a generated song with a General MIDI soundfont), in the same run.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegEbur128 } from "../../scripts/lib/ffmpeg.mjs";
import { comaster } from "../support/cli";
import { ffmpegConvert, renderSong } from "../support/music";
import { needTools } from "../support/services";
import { tempDir } from "../support/tmp";

const ready = needTools("ebur128 agreement", ["ffmpeg", "fluidsynth", "soundfont"]);

describe.runIf(ready)("agreement with ffmpeg ebur128 on real music", () => {
  const dir = tempDir("agree");
  const songs = ready
    ? {
        "quiet mix, 44.1 kHz": renderSong(dir, "quiet", { seconds: 40, seed: 7, sampleRate: 44_100, gain: 0.3 }),
        "hot mix, 48 kHz": renderSong(dir, "hot", { seconds: 40, seed: 3, sampleRate: 48_000, gain: 0.8 }),
      }
    : {};
  const files: [string, string][] = ready
    ? [
        ...Object.entries(songs),
        [
          "quiet mix as 96 kHz 24-bit (ffmpeg)",
          ffmpegConvert(songs["quiet mix, 44.1 kHz"]!, join(dir, "q96.wav"), ["-ar", "96000", "-c:a", "pcm_s24le"]),
        ],
        ["hot mix as FLAC (ffmpeg)", ffmpegConvert(songs["hot mix, 48 kHz"]!, join(dir, "hot.flac"))],
        [
          "quiet mix as MP3 320k (ffmpeg)",
          ffmpegConvert(songs["quiet mix, 44.1 kHz"]!, join(dir, "quiet.mp3"), ["-b:a", "320k"]),
        ],
      ]
    : [];

  it.each(files)("%s: integrated within ±0.1 LU, true peak within ±0.3 dB", (_name, file) => {
    const ref = ffmpegEbur128(file);
    const r = comaster(["analyze", file, "--json"]);
    expect(r.stderr).toBe("");
    const ours = JSON.parse(r.stdout);
    expect(Math.abs(ours.integratedLufs - ref.integratedLufs)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ours.truePeakDbtp - ref.truePeakDbtp)).toBeLessThanOrEqual(0.3);
    // LRA: both implement EBU Tech 3342; ffmpeg's histogram quantises, so allow its tolerance.
    expect(Math.abs(ours.loudnessRangeLu - ref.loudnessRangeLu)).toBeLessThanOrEqual(1);
  });
});
