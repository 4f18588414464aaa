/**
 * The render job queue, as the worker sees it. Database-agnostic: `MemoryJobQueue` is the reference
 * semantics (and the test double); the Prisma-backed queue in packages/db implements the same
 * interface with guarded updates (`UPDATE … WHERE id = ? AND leaseOwner = ? AND status = 'running'`,
 * claims with `FOR UPDATE SKIP LOCKED` on PostgreSQL).
 *
 * Delivery is at-least-once: a job whose worker stops heartbeating is claimed again once its lease
 * has expired. Only the current lease owner can complete, fail, heartbeat or release a job, so a
 * worker that lost its lease can never finish a job another worker now owns.
 */

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface Job<P = unknown, R = unknown> {
  readonly id: string;
  readonly status: JobStatus;
  /** Claims so far, including the one running now (a release hands the attempt back). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: Date | null;
  /** A queued job is not claimed before this time (retry backoff). */
  readonly runAfter: Date;
  /** 0–1, as last reported by a heartbeat. */
  readonly progress: number;
  /** The last failure, readable by a teacher; kept on retries, final when `failed`. */
  readonly error: string | null;
  readonly payload: P;
  readonly result: R | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EnqueueInput<P> {
  readonly payload: P;
  /** Default: the queue's `maxAttempts`. */
  readonly maxAttempts?: number;
  /** Default: now. */
  readonly runAfter?: Date;
}

export interface FailOptions {
  /** The job can never succeed (bad chain, missing asset): fail it now, without further attempts. */
  readonly permanent?: boolean;
}

export interface JobQueue<P = unknown, R = unknown> {
  enqueue(input: EnqueueInput<P>): Promise<Job<P, R>>;
  /**
   * Atomically takes the oldest claimable job: `queued` with `runAfter <= now`, or `running` with an
   * expired lease (`leaseUntil < now`: its worker died). Sets it `running`, owned by `workerId` until
   * `now + leaseMs`, and counts an attempt. An expired job that has used all its attempts is failed
   * instead ("the worker stopped responding") and the next one is tried.
   */
  claim(workerId: string, leaseMs: number, now: Date): Promise<Job<P, R> | null>;
  /** Extends the lease and records progress (0–1). False if `workerId` no longer owns the job. */
  heartbeat(jobId: string, workerId: string, leaseMs: number, now: Date, progress: number): Promise<boolean>;
  /** Marks the job done with its result. Only the lease owner; idempotent (true again for the same owner). */
  complete(jobId: string, workerId: string, result: R, now?: Date): Promise<boolean>;
  /**
   * Records a failed attempt: back to `queued` with `runAfter = now + backoff(attempts)`, or `failed`
   * for good with `error` once `maxAttempts` are used (or at once when `permanent`). Only the lease
   * owner; false otherwise.
   */
  fail(jobId: string, workerId: string, error: string, now: Date, options?: FailOptions): Promise<boolean>;
  /** Hands a running job back (SIGTERM) without counting the attempt. Only the lease owner. */
  release(jobId: string, workerId: string, now?: Date): Promise<boolean>;
  get(jobId: string): Promise<Job<P, R> | null>;
}

export interface BackoffPolicy {
  /** Delay after the first failed attempt, ms. */
  readonly baseMs: number;
  /** Largest delay, ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 5 * 60_000 };
export const DEFAULT_MAX_ATTEMPTS = 5;

/** Delay before the next try after `attempts` failed attempts: base·2^(attempts−1), capped. */
export function backoffMs(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 40));
}

/** The readable error a job gets when its worker died on the last attempt. */
export function leaseExpiredMessage(attempts: number): string {
  return `The render stopped: the worker rendering it stopped responding (${attempts} ${attempts === 1 ? "attempt" : "attempts"}).`;
}
