import type { FakeClock } from "./fakeClock";
import type { MasterResult, RenderDeps, RenderJob, RenderJobPayload } from "./runRenderJob";

export interface FakeRender {
  /** Fake time per progress step, ms. */
  readonly stepMs?: number;
  readonly steps?: number;
  /** The progress fractions to report, one per step (default: i/steps); a real master may step back. */
  readonly fractions?: readonly number[];
  /** Throw this instead of rendering (per call); return undefined to render. */
  readonly error?: (job: RenderJob, call: number) => unknown;
}

/**
 * Render dependencies for tests: "mastering" takes `steps × stepMs` of fake time and reports progress;
 * exports are stored in a map keyed by job id (as the real store is), and every save is counted.
 */
export function fakeDeps(clock: FakeClock, o: FakeRender = {}) {
  const fractions = o.fractions ?? Array.from({ length: o.steps ?? 4 }, (_, i) => (i + 1) / (o.steps ?? 4));
  const stepMs = o.stepMs ?? 100;
  const exports = new Map<string, { path: string; saves: number }>();
  const active = new Map<string, number>();
  const calls = new Map<string, number>();
  const stats = { overlaps: 0, saves: 0, renders: 0 };
  const deps: RenderDeps = {
    loadInput: async (job) => ({ path: `in/${job.id}.wav` }),
    tempPath: (job) => `tmp/${job.id}.flac`,
    saveExport: async (job, path) => {
      stats.saves += 1;
      const prev = exports.get(job.id);
      exports.set(job.id, { path, saves: (prev?.saves ?? 0) + 1 });
      return { id: `export-${job.id}`, path };
    },
    master: async (job, _input, _output, onProgress): Promise<MasterResult> => {
      const jobId = job.id;
      const call = (calls.get(jobId) ?? 0) + 1;
      calls.set(jobId, call);
      stats.renders += 1;
      const n = (active.get(jobId) ?? 0) + 1;
      active.set(jobId, n);
      if (n > 1) stats.overlaps += 1;
      try {
        const err = o.error?.(job, call);
        if (err !== undefined) throw err;
        for (const fraction of fractions) {
          await clock.sleep(stepMs);
          onProgress(fraction);
        }
        return {
          analysis: {
            integratedLufs: -14,
            truePeakDbtp: -1,
            durationSeconds: 10,
            warnings: [],
            master: { targetLufs: -14 },
          },
        };
      } finally {
        active.set(jobId, (active.get(jobId) ?? 1) - 1);
      }
    },
  };
  return { deps, exports, stats, calls };
}

export const payload = (assetId = "asset-1"): RenderJobPayload => ({
  assetId,
  versionId: "v1",
  options: { format: "flac", preset: "streaming" },
});
