import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
const MAX_STDOUT = 32 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

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

function runCli(path: string, o: CliAnalyzerOptions): Promise<UploadAnalysis> {
  const cli = o.cliPath ?? resolveCliPath();
  const timeoutMs = o.timeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
  const args = [cli, "analyze", path, "--json", "--waveform-bins", String(o.waveformBins ?? 1000)];
  const env = { ...process.env, ...(o.onMaxRss ? { COMASTER_REPORT_MAXRSS: "1" } : {}) };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let failure: UploadError | undefined;
    const timer = setTimeout(() => {
      failure = new UploadError(
        "ANALYSIS_FAILED",
        `Analysing the file took longer than ${Math.round(timeoutMs / 1000)} s.`,
      );
      child.kill("SIGKILL");
    }, timeoutMs);

    child.stdout.on("data", (d: Buffer) => {
      stdoutBytes += d.byteLength;
      if (stdoutBytes > MAX_STDOUT) {
        failure ??= new UploadError("ANALYSIS_FAILED", "The analysis printed more output than expected.");
        child.kill("SIGKILL");
      } else stdout.push(d);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    child.on("error", (cause) => {
      failure ??= new UploadError("ANALYSIS_FAILED", "The analysis could not be started.", { cause });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const rss = /maxrss_kb=(\d+)/.exec(stderr);
      if (rss && o.onMaxRss) o.onMaxRss(Number(rss[1]));
      if (failure) return reject(failure);
      if (code === 0) return settleJson(Buffer.concat(stdout).toString("utf8"), resolvePromise, reject);
      const message = cliMessage(stderr, path);
      if (code === 2) return reject(new UploadError("UNREADABLE_AUDIO", message || "The file could not be decoded."));
      reject(
        new UploadError("ANALYSIS_FAILED", "The analysis failed unexpectedly.", {
          cause: new Error(`comaster exited with ${signal ?? `code ${code}`}: ${message}`),
        }),
      );
    });
  });
}

function settleJson(text: string, ok: (a: UploadAnalysis) => void, fail: (e: UploadError) => void): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    fail(new UploadError("ANALYSIS_FAILED", "The analysis printed something other than JSON.", { cause }));
    return;
  }
  const parsed = UploadAnalysis.safeParse(json);
  if (parsed.success) ok(parsed.data);
  else fail(new UploadError("ANALYSIS_FAILED", "The analysis result is missing figures.", { cause: parsed.error }));
}

/** The CLI's one-line message without its "comaster: " and "<path>: " prefixes (the path is a temp file). */
export function cliMessage(stderr: string, path: string): string {
  const line = stderr.split("\n").find((l) => l.trim() !== "" && !l.startsWith("maxrss_kb=")) ?? "";
  return line
    .replace(/^comaster: /, "")
    .replace(`${path}: `, "")
    .split(path)
    .join("the file")
    .trim();
}
