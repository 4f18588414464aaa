// The worker's environment, read and validated in one place. Every value has a default for a local
// run; an invalid one is reported as one line naming the variable, and `main.ts` exits with code 2.
import { hostname } from "node:os";
import path from "node:path";
import { type BackoffPolicy, DEFAULT_BACKOFF } from "./jobs/jobQueue";
import { DEFAULT_STALL_MS } from "./jobs/workerLoop";

export interface WorkerEnv {
  /** `file:…` (SQLite) or `postgres://…`. */
  readonly databaseUrl: string;
  /** Root folder of the local blob store (assets in, exports out). */
  readonly storageDir: string;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly pollMs: number;
  /** A render that reports no progress for this long is stopped and retried (`RenderWorker`). */
  readonly stallMs: number;
  /** Delay before retrying a failed render: doubles from `baseMs` per attempt, up to `capMs`. */
  readonly retryBackoff: BackoffPolicy;
}

export class EnvError extends Error {
  override name = "EnvError";
}

type Source = Readonly<Record<string, string | undefined>>;

/**
 * Reads the worker's settings from `source` (usually `process.env`). Defaults: the repo's
 * `.data/comaster.db` and `.data/storage`, `hostname-pid`, a 30 s lease, a heartbeat a third of it,
 * a 1 s poll, a render stopped after 5 min without progress (STALL_MS), retries after 5 s doubling up
 * to 5 min (RETRY_BASE_MS, RETRY_CAP_MS).
 */
export function readEnv(source: Source, repoRoot: string, pid = process.pid): WorkerEnv {
  const databaseUrl = nonEmpty(source, "DATABASE_URL") ?? `file:${path.join(repoRoot, ".data", "comaster.db")}`;
  if (!/^(file:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new EnvError(`DATABASE_URL must start with file: or postgres://, got "${databaseUrl}"`);
  }
  const storageDir = path.resolve(repoRoot, nonEmpty(source, "COMASTER_STORAGE_DIR") ?? path.join(".data", "storage"));
  const workerId = nonEmpty(source, "WORKER_ID") ?? `${hostname()}-${pid}`;
  const leaseMs = ms(source, "LEASE_MS", 30_000);
  const heartbeatMs = ms(source, "HEARTBEAT_MS", Math.max(1, Math.floor(leaseMs / 3)));
  const pollMs = ms(source, "POLL_MS", 1_000);
  if (heartbeatMs >= leaseMs) {
    throw new EnvError(`HEARTBEAT_MS (${heartbeatMs}) must be less than LEASE_MS (${leaseMs})`);
  }
  const stallMs = ms(source, "STALL_MS", Math.max(DEFAULT_STALL_MS, 2 * heartbeatMs));
  if (stallMs <= heartbeatMs) {
    throw new EnvError(`STALL_MS (${stallMs}) must be more than HEARTBEAT_MS (${heartbeatMs})`);
  }
  const baseMs = ms(source, "RETRY_BASE_MS", DEFAULT_BACKOFF.baseMs);
  const capMs = ms(source, "RETRY_CAP_MS", Math.max(baseMs, DEFAULT_BACKOFF.capMs));
  if (capMs < baseMs) throw new EnvError(`RETRY_CAP_MS (${capMs}) must not be less than RETRY_BASE_MS (${baseMs})`);
  return {
    databaseUrl,
    storageDir,
    workerId,
    leaseMs,
    heartbeatMs,
    pollMs,
    stallMs,
    retryBackoff: { baseMs, capMs },
  };
}

function nonEmpty(source: Source, name: string): string | undefined {
  const v = source[name]?.trim();
  return v ? v : undefined;
}

function ms(source: Source, name: string, fallback: number): number {
  const raw = nonEmpty(source, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new EnvError(`${name} must be a whole number of milliseconds ≥ 1, got "${raw}"`);
  }
  return n;
}
