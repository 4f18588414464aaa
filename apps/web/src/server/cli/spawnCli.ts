import { spawn } from "node:child_process";
import { setPriority } from "node:os";

/** How a run of the built `comaster` CLI ended. */
export type CliOutcome =
  | {
      readonly kind: "exited";
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly stdout: string;
      readonly stderr: string;
    }
  | {
      readonly kind: "timeout" | "too-much-output" | "spawn-failed";
      readonly stderr: string;
      readonly cause?: unknown;
    };

export interface SpawnCliOptions {
  /** Kill the child after this long. */
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Most stdout bytes kept; more kills the child (default 32 MiB). */
  readonly maxStdout?: number;
  /** Aborting kills the child; the outcome is then "exited" with signal SIGKILL. */
  readonly signal?: AbortSignal;
  /** The child's niceness (0 default … 19 lowest): background work yields to the server and its pages. */
  readonly nice?: number;
}

const MAX_STDERR = 64 * 1024;

/**
 * Runs `node CLI ...args` in a child process (so decoding never grows the web server's heap and a
 * decoder crash cannot take it down), with a time limit and bounded output. Never rejects: the
 * callers turn each outcome into their own error.
 */
export function spawnCli(cli: string, args: readonly string[], o: SpawnCliOptions): Promise<CliOutcome> {
  const maxStdout = o.maxStdout ?? 32 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: o.env ?? process.env,
    });
    if (o.nice && child.pid !== undefined) {
      try {
        setPriority(child.pid, o.nice);
      } catch {
        // Not permitted here: it runs at normal priority.
      }
    }
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let failure: { kind: "timeout" | "too-much-output" | "spawn-failed"; cause?: unknown } | undefined;
    const timer = setTimeout(() => {
      failure ??= { kind: "timeout" };
      child.kill("SIGKILL");
    }, o.timeoutMs);
    const abort = () => child.kill("SIGKILL");
    o.signal?.addEventListener("abort", abort, { once: true });
    child.stdout.on("data", (d: Buffer) => {
      stdoutBytes += d.byteLength;
      if (stdoutBytes > maxStdout) {
        failure ??= { kind: "too-much-output" };
        child.kill("SIGKILL");
      } else stdout.push(d);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    child.on("error", (cause) => {
      failure ??= { kind: "spawn-failed", cause };
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", abort);
      if (failure) return resolve({ ...failure, stderr });
      resolve({ kind: "exited", code, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr });
    });
  });
}

/** The CLI's one-line message without its "comaster: " and "<path>: " prefixes (the path may be a temp file). */
export function cliMessage(stderr: string, path: string): string {
  const line = stderr.split("\n").find((l) => l.trim() !== "" && !l.startsWith("maxrss_kb=")) ?? "";
  return line
    .replace(/^comaster: /, "")
    .replace(`${path}: `, "")
    .split(path)
    .join("the file")
    .trim();
}
