// How the preview mixes its three paths — A (the live chain), B (a saved version's chain) and the
// loudness-matched bypass — so that switching between them is heard at once, in time, at the
// loudness each one aims at, and without a click. Pure: previewEngine.ts applies the numbers.

/** Which chain is heard: A, the live shared chain, or B, a saved version. */
export type AbSide = "A" | "B";

export interface AbState {
  readonly listening: AbSide;
  /** Loudness-matched bypass: the mix alone, brought to the loudness of the chain heard. */
  readonly bypassed: boolean;
  /** The dry path's gain matching chain A's loudness, dB (`pathLoudness`: its export's loudness − the mix's). */
  readonly bypassGainDbA: number;
  /** The same for chain B, dB; null when no version is picked. */
  readonly bypassGainDbB: number | null;
}

export interface PathLevels {
  readonly a: number;
  readonly b: number;
  readonly dry: number;
}

const dbToGain = (db: number) => 10 ** (db / 20);

/**
 * The gain each path fades to. Exactly one path is heard (B only when a version is picked). Each
 * chain applies its own loudness gain inside its worklet, as its export would; the bypass plays the
 * mix at the heard chain's loudness, so "bypass" compares at the loudness of what it bypasses.
 *
 * The fades: every path moves to its target with the same exponential time constant
 * (`setTargetAtTime`), so the levels always sum to what they summed to before — an equal-GAIN
 * crossfade, even when a switch interrupts another. Equal gain rather than equal power because the
 * paths are the same mix, time-aligned (`alignment`), so they are strongly correlated: their
 * amplitudes add, and an equal-power fade would bulge by up to 3 dB mid-way.
 */
export function pathLevels(s: AbState): PathLevels {
  const b = s.listening === "B" && s.bypassGainDbB !== null;
  if (s.bypassed) return { a: 0, b: 0, dry: dbToGain(b ? s.bypassGainDbB! : s.bypassGainDbA) };
  return { a: b ? 0 : 1, b: b ? 1 : 0, dry: 0 };
}

/**
 * Delays, in frames, after each chain (and on the dry path) that line the three paths up: every
 * path's total delay is the longest chain latency, so a switch keeps the music in time.
 */
export function alignment(latencyA: number, latencyB: number | null): PathLevels {
  const total = Math.max(latencyA, latencyB ?? 0);
  return { a: total - latencyA, b: latencyB === null ? 0 : total - latencyB, dry: total };
}
