// Finding the outside tools that some tests and benchmarks use (ffmpeg, FluidSynth).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Absolute path of a command on PATH, or null. @param {string} name */
export function which(name) {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

export const SOUNDFONTS = ["/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/default-GM.sf2"];

/** The first General MIDI soundfont installed, or null. */
export function findSoundfont() {
  return SOUNDFONTS.find((p) => existsSync(p)) ?? null;
}

/** True when missing services must fail tests instead of skipping them (set by .ci/run). */
export const servicesRequired = process.env.COMASTER_REQUIRE_SERVICES === "1";

/**
 * Renders a MIDI file to a 16-bit WAV with FluidSynth (no audio driver, deterministic).
 * @param {string} midiPath @param {string} wavPath @param {number} sampleRate
 */
export function renderMidi(midiPath, wavPath, sampleRate = 44100) {
  const sf = findSoundfont();
  if (!sf) throw new Error("no General MIDI soundfont (apt-get install fluid-soundfont-gm)");
  execFileSync(
    "fluidsynth",
    ["-ni", "-q", "-g", "0.9", "-r", String(sampleRate), "-O", "s16", "-T", "wav", "-F", wavPath, sf, midiPath],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}
