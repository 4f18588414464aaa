import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliMessage, spawnCli } from "../cli/spawnCli";
import { UploadAnalysis } from "./uploadAnalysis";
import { UploadError } from "./uploadError";

export interface CliAnalyzerOptions {
  /** The built `comaster` CLI. Default: `resolveCliPath()`. */
  cliPath?: string;
  /** Kill the analysis after this long. Default 10 minutes (a 1 GiB WAV takes well under that). */
  timeoutMs?: number;
  /** Waveform overview resolution. Default 1000. */
  waveformBins?: number;
  /** Receives the analysis process's peak resident memory (KiB) after each run, e.g. for benchmarks. */
  onMaxRss?: (kilobytes: number) => void;
}

export const DEFAULT_ANALYSIS_TIMEOUT_MS = 10 * 60_000;
const CLI_RELATIVE = join("apps", "render-worker", "dist", "cli.js");

/**
 * The default `analyze`: runs `comaster analyze FILE --json --waveform-bins 1000` in a child Node
 * process, so decoding never grows the web server's heap and a decoder crash cannot take it down.
 * Exit 2 (the CLI's "bad input") becomes UNREADABLE_AUDIO (422) with the CLI's message; a crash, a
 * timeout or output that is not the expected JSON becomes ANALYSIS_FAILED (500).
 */
export function createCliAnalyzer(options: CliAnalyzerOptions = {}): (path: string) => Promise<UploadAnalysis> {
  return (path) => runCli(path, options);
}

/** `createCliAnalyzer()` with the defaults. */
export function analyzeWithCli(path: string): Promise<UploadAnalysis> {
  return runCli(path, {});
}

/**
 * Where the built CLI is: `COMASTER_CLI` if set, else `apps/render-worker/dist/cli.js` under the first
 * folder above the working directory (then above this module) that has one.
 */
export function resolveCliPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.COMASTER_CLI) return resolve(env.COMASTER_CLI);
  const starts = [process.cwd()];
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // Bundlers may rewrite import.meta.url to something that is not a file URL.
  }
  for (const start of starts) {
    // turbopackIgnore: a runtime lookup of the worker's CLI, not a file the web bundle needs.
    for (let dir = resolve(/*turbopackIgnore: true*/ start); ; dir = dirname(dir)) {
      const candidate = join(/*turbopackIgnore: true*/ dir, CLI_RELATIVE);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new UploadError(
    "ANALYSIS_FAILED",
    "The analysis program is missing (build it with `pnpm --filter @comaster/render-worker build`, or set COMASTER_CLI).",
  );
}

async function runCli(path: string, o: CliAnalyzerOptions): Promise<UploadAnalysis> {
  const cli = o.cliPath ?? resolveCliPath();
  const timeoutMs = o.timeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
  const args = ["analyze", path, "--json", "--waveform-bins", String(o.waveformBins ?? 1000)];
  const env = { ...process.env, ...(o.onMaxRss ? { COMASTER_REPORT_MAXRSS: "1" } : {}) };
  const run = await spawnCli(cli, args, { timeoutMs, env });
  const rss = /maxrss_kb=(\d+)/.exec(run.stderr);
  if (rss && o.onMaxRss) o.onMaxRss(Number(rss[1]));
  if (run.kind !== "exited") {
    const message =
      run.kind === "timeout"
        ? `Analysing the file took longer than ${Math.round(timeoutMs / 1000)} s.`
        : run.kind === "too-much-output"
          ? "The analysis printed more output than expected."
          : "The analysis could not be started.";
    throw new UploadError("ANALYSIS_FAILED", message, { cause: run.cause });
  }
  if (run.code === 0) return settleJson(run.stdout);
  const message = cliMessage(run.stderr, path);
  if (run.code === 2) throw new UploadError("UNREADABLE_AUDIO", message || "The file could not be decoded.");
  throw new UploadError("ANALYSIS_FAILED", "The analysis failed unexpectedly.", {
    cause: new Error(`comaster exited with ${run.signal ?? `code ${run.code}`}: ${message}`),
  });
}

function settleJson(text: string): UploadAnalysis {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UploadError("ANALYSIS_FAILED", "The analysis printed something other than JSON.", { cause });
  }
  const parsed = UploadAnalysis.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new UploadError("ANALYSIS_FAILED", "The analysis result is missing figures.", { cause: parsed.error });
}
