/** Delivery targets shown to users; the chain issue turns these into presets. */
export interface LoudnessTarget {
  readonly id: string;
  readonly label: string;
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
}

export const LOUDNESS_TARGETS: readonly LoudnessTarget[] = [
  { id: "streaming", label: "Streaming (Spotify, YouTube, Tidal)", integratedLufs: -14, truePeakDbtp: -1 },
  { id: "apple", label: "Apple Music", integratedLufs: -16, truePeakDbtp: -1 },
  { id: "broadcast", label: "Broadcast (EBU R128)", integratedLufs: -23, truePeakDbtp: -1 },
  { id: "cd", label: "CD / loud master", integratedLufs: -9.5, truePeakDbtp: -0.3 },
  { id: "podcast", label: "Podcast", integratedLufs: -16, truePeakDbtp: -1 },
];

/** "−14.0 LUFS" with a real minus sign; `null` (silence) reads as "−∞". */
export function formatLufs(value: number | null, unit = "LUFS"): string {
  if (value === null || !Number.isFinite(value)) return `−∞ ${unit}`;
  const text = Math.abs(value).toFixed(1);
  const sign = value < 0 && text !== "0.0" ? "−" : "";
  return `${sign}${text} ${unit}`;
}
