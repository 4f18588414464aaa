// What the browser sees of database rows: figures parsed, nothing internal (storage keys, leases).

interface AssetRow {
  id: string;
  format: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  byteSize: number;
  analysisJson: string | null;
  waveformJson: string | null;
  createdAt: Date;
}

export interface AssetFigures {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  plrDb: number | null;
  correlation: number | null;
  clippedSamples: number;
}

export function assetView(row: AssetRow & { fileName?: string | null }) {
  const analysis = parse<Record<string, unknown>>(row.analysisJson) ?? {};
  const num = (k: string) => (typeof analysis[k] === "number" ? (analysis[k] as number) : null);
  const integratedLufs = num("integratedLufs");
  const truePeakDbtp = num("truePeakDbtp");
  const figures: AssetFigures = {
    integratedLufs,
    loudnessRangeLu: num("loudnessRangeLu"),
    truePeakDbtp,
    plrDb: num("plrDb") ?? (integratedLufs !== null && truePeakDbtp !== null ? truePeakDbtp - integratedLufs : null),
    correlation: num("correlation"),
    clippedSamples: num("clippedSamples") ?? 0,
  };
  return {
    id: row.id,
    fileName: typeof analysis.fileName === "string" ? analysis.fileName : null,
    format: row.format,
    durationSeconds: row.durationSeconds,
    sampleRate: row.sampleRate,
    channels: row.channels,
    byteSize: row.byteSize,
    createdAt: row.createdAt,
    figures,
    waveform: waveformPeaks(parse<unknown>(row.waveformJson)),
  };
}

/**
 * The overview (packages/dsp's Waveform: min[channel][bin], max[channel][bin]) as one peak per bin,
 * 0…1, the largest |sample| over all channels, rounded to keep the payload small.
 */
export function waveformPeaks(w: unknown): number[] {
  if (!w || typeof w !== "object") return [];
  const o = w as { min?: unknown; max?: unknown };
  if (!Array.isArray(o.min) || !Array.isArray(o.max)) return [];
  const channels = [...o.min, ...o.max].filter((c): c is unknown[] => Array.isArray(c));
  const bins = Math.max(0, ...channels.map((c) => c.length));
  const peaks = new Array<number>(bins).fill(0);
  for (const c of channels) {
    for (let i = 0; i < c.length; i++) {
      const v = Math.abs(Number(c[i]));
      if (Number.isFinite(v) && v > (peaks[i] ?? 0)) peaks[i] = v;
    }
  }
  return peaks.map((p) => Math.round(Math.min(1, p) * 1000) / 1000);
}

interface JobRow {
  id: string;
  status: string;
  format: string;
  targetLufs: number;
  progress: number;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  assetId: string;
  version: { id: string; label: string };
  export: {
    id: string;
    format: string;
    byteSize: number;
    integratedLufs: number;
    truePeakDbtp: number;
    shareLinks: { id: string; token: string; expiresAt: Date | null; revokedAt: Date | null; createdAt: Date }[];
  } | null;
}

export function jobView(row: JobRow, now = new Date()) {
  return {
    id: row.id,
    status: row.status as "queued" | "running" | "done" | "failed",
    format: row.format,
    targetLufs: row.targetLufs,
    progress: Math.round(Math.min(1, Math.max(0, row.progress)) * 100),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    error: row.status === "failed" ? row.error : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    assetId: row.assetId,
    version: { id: row.version.id, label: row.version.label },
    export: row.export
      ? {
          id: row.export.id,
          format: row.export.format,
          byteSize: row.export.byteSize,
          integratedLufs: row.export.integratedLufs,
          truePeakDbtp: row.export.truePeakDbtp,
          shareLinks: row.export.shareLinks.map((l) => ({
            id: l.id,
            token: l.token,
            expiresAt: l.expiresAt,
            revoked: l.revokedAt !== null,
            active: l.revokedAt === null && (l.expiresAt === null || l.expiresAt > now),
          })),
        }
      : null,
  };
}

function parse<T>(json: string | null): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}
