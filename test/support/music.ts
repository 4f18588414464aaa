import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSong } from "../../scripts/lib/midi.mjs";
import { findSoundfont } from "../../scripts/lib/tools.mjs";

export interface SongOptions {
  readonly seconds: number;
  readonly seed: number;
  readonly sampleRate: number;
  /** FluidSynth master gain: 0.2 is a quiet mix, 0.9 clips. */
  readonly gain: number;
}

/** Renders a generated song with FluidSynth and a GM soundfont into `dir`; returns the WAV path. */
export function renderSong(dir: string, name: string, o: SongOptions): string {
  const mid = join(dir, `${name}.mid`);
  const wav = join(dir, `${name}.wav`);
  writeFileSync(mid, generateSong({ seconds: o.seconds, seed: o.seed }));
  execFileSync(
    "fluidsynth",
    [
      "-ni",
      "-q",
      "-g",
      String(o.gain),
      "-r",
      String(o.sampleRate),
      "-O",
      "s16",
      "-T",
      "wav",
      "-F",
      wav,
      findSoundfont()!,
      mid,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return wav;
}

/** Converts with ffmpeg (e.g. to FLAC or MP3) so our decoders read files another encoder wrote. */
export function ffmpegConvert(input: string, output: string, args: readonly string[] = []): string {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", input, ...args, output]);
  return output;
}
