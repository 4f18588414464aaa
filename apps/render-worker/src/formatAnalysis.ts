import type { FileAnalysis } from "./analyzeFile";

const fmt = (v: number | null, unit: string, digits = 1): string =>
  v === null ? `-inf ${unit}` : `${v.toFixed(digits)} ${unit}`;

/** The human-readable report `comaster analyze` prints without --json. */
export function formatAnalysis(a: FileAnalysis): string {
  const rows: [string, string][] = [
    ["File", a.file],
    ["Format", `${a.format} (${a.codec}), ${a.sampleRate} Hz, ${a.channels} ch`],
    ["Duration", `${a.durationSeconds.toFixed(2)} s`],
    ["Integrated", fmt(a.integratedLufs, "LUFS")],
    ["Loudness range", fmt(a.loudnessRangeLu, "LU")],
    ["Short-term max", fmt(a.shortTermMaxLufs, "LUFS")],
    ["Momentary max", fmt(a.momentaryMaxLufs, "LUFS")],
    ["True peak", fmt(a.truePeakDbtp, "dBTP", 2)],
    ["Sample peak", fmt(a.samplePeakDbfs, "dBFS", 2)],
    ["PLR", fmt(a.plrDb, "dB")],
    ["Correlation", a.correlation === null ? "n/a" : a.correlation.toFixed(3)],
    ["DC offset", `${(a.dcOffset * 100).toFixed(4)} %`],
    ["Clipped samples", String(a.clippedSamples)],
  ];
  if (a.nonFiniteSamples > 0) rows.push(["Non-finite samples", `${a.nonFiniteSamples} (read as silence)`]);
  for (const w of a.warnings) rows.push(["Warning", w]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}
