import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chain } from "@comaster/chain";
import { z } from "zod";
import { cliMessage, spawnCli } from "../cli/spawnCli";
import { resolveCliPath } from "../uploads/analyzeWithCli";

/** What `comaster gain --json` prints (apps/render-worker/src/measureGain.ts `GainMeasurement`). */
export const GainMeasurement = z.object({
  loudnessGainDb: z.number().nullable(),
  targetLufs: z.number().nullable(),
  integratedLufs: z.number().nullable(),
  passes: z.number().int().min(1),
  warnings: z.array(z.string()),
});
export type GainMeasurement = z.infer<typeof GainMeasurement>;

/** A measurement that could not be made, with a sentence for the page. */
export class GainMeasureError extends Error {
  override name = "GainMeasureError";
}

export interface CliGainOptions {
  readonly cliPath?: string;
  /** Default 10 minutes, as the upload's analysis. */
  readonly timeoutMs?: number;
}

/**
 * Measures, in a child process running the built CLI (`comaster gain FILE --chain … --json`), the
 * loudness gain a render of `chain` applies to the audio file at `path`: the export's own passes, so
 * the preview plays at the export's loudness. The chain goes through a temporary file, removed after.
 */
export function createCliGainMeasurer(o: CliGainOptions = {}) {
  return async (path: string, chain: Chain, signal?: AbortSignal): Promise<GainMeasurement> => {
    let cli: string;
    try {
      cli = o.cliPath ?? resolveCliPath();
    } catch (cause) {
      throw new GainMeasureError("The measuring program is missing on the server.", { cause });
    }
    const dir = await mkdtemp(join(tmpdir(), "comaster-gain-"));
    try {
      const chainPath = join(dir, "chain.json");
      await writeFile(chainPath, JSON.stringify(chain));
      const timeoutMs = o.timeoutMs ?? 10 * 60_000;
      const run = await spawnCli(cli, ["gain", path, "--chain", chainPath, "--json"], {
        timeoutMs,
        maxStdout: 1 << 20,
        signal,
        nice: 10, // the preview estimates meanwhile: the pages and the collaboration server come first
      });
      if (run.kind === "timeout") {
        throw new GainMeasureError(`Measuring the loudness took longer than ${Math.round(timeoutMs / 1000)} s.`);
      }
      if (run.kind !== "exited")
        throw new GainMeasureError("The loudness could not be measured.", { cause: run.cause });
      if (run.code !== 0) {
        const message = cliMessage(run.stderr, path) || `the measuring program exited with ${run.signal ?? run.code}`;
        throw new GainMeasureError(`The loudness could not be measured: ${message}.`);
      }
      let json: unknown;
      try {
        json = JSON.parse(run.stdout);
      } catch (cause) {
        throw new GainMeasureError("The loudness measurement printed something other than JSON.", { cause });
      }
      const parsed = GainMeasurement.safeParse(json);
      if (!parsed.success)
        throw new GainMeasureError("The loudness measurement is missing figures.", { cause: parsed.error });
      return parsed.data;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

export type MeasureGain = ReturnType<typeof createCliGainMeasurer>;
