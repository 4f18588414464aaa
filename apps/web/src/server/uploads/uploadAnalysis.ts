import { z } from "zod";

/**
 * What the upload stage needs from an analysis: the JSON the `comaster analyze --json` CLI prints
 * (packages/dsp `AnalysisResult` plus the file facts). Checked at the process boundary, because the
 * numbers end up in the database and in the UI. Keys beyond these (spectrum, timeline…) pass through
 * untouched into `analysisJson`.
 */
const level = z.number().nullable();

export const UploadAnalysis = z.looseObject({
  format: z.string(),
  codec: z.string(),
  bitsPerSample: z.number().int().nullable(),
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  frames: z.number().int().positive(),
  durationSeconds: z.number().nonnegative(),
  integratedLufs: level,
  loudnessRangeLu: level,
  truePeakDbtp: level,
  samplePeakDbfs: level,
  plrDb: level,
  correlation: level,
  clippedSamples: z.number().int().nonnegative(),
  nonFiniteSamples: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
  waveform: z
    .object({
      bins: z.number().int().nonnegative(),
      min: z.array(z.array(z.number())),
      max: z.array(z.array(z.number())),
    })
    .optional(),
});
export type UploadAnalysis = z.infer<typeof UploadAnalysis>;

/** The figures the upload page shows, as returned in the 201 response. */
export interface UploadFigures {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  plrDb: number | null;
  correlation: number | null;
  clippedSamples: number;
}

export function figuresOf(a: UploadAnalysis): UploadFigures {
  return {
    integratedLufs: a.integratedLufs,
    loudnessRangeLu: a.loudnessRangeLu,
    truePeakDbtp: a.truePeakDbtp,
    samplePeakDbfs: a.samplePeakDbfs,
    plrDb: a.plrDb,
    correlation: a.correlation,
    clippedSamples: a.clippedSamples,
  };
}
