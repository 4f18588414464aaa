import {
  type BackoffPolicy,
  backoffMs,
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueInput,
  type FailOptions,
  type Job,
  type JobQueue,
  leaseExpiredMessage,
} from "./jobQueue";

export interface MemoryJobQueueOptions {
  /** Used for `createdAt`, `updatedAt` and the default `runAfter`. Default: the system clock. */
  readonly clock?: () => Date;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  /** Default: `job-1`, `job-2`, … */
  readonly newId?: () => string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The reference implementation of `JobQueue`: every method is one synchronous step on a map, so each
 * is atomic, as the database implementation's guarded updates are. Jobs are returned as copies.
 */
export class MemoryJobQueue<P = unknown, R = unknown> implements JobQueue<P, R> {
  private readonly jobs = new Map<string, Mutable<Job<P, R>> & { seq: number }>();
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly newId: () => string;
  private seq = 0;

  constructor(options: MemoryJobQueueOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.newId = options.newId ?? (() => `job-${this.seq}`);
  }

  async enqueue(input: EnqueueInput<P>): Promise<Job<P, R>> {
    const now = this.clock();
    this.seq += 1;
    const maxAttempts = input.maxAttempts ?? this.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new RangeError(`maxAttempts must be ≥ 1, got ${maxAttempts}`);
    const job = {
      id: this.newId(),
      status: "queued" as Job["status"],
      attempts: 0,
      maxAttempts,
      leaseOwner: null as string | null,
      leaseUntil: null as Date | null,
      runAfter: input.runAfter ?? now,
      progress: 0,
      error: null as string | null,
      payload: input.payload,
      result: null as R | null,
      createdAt: now,
      updatedAt: now,
      seq: this.seq,
    };
    if (this.jobs.has(job.id)) throw new Error(`job id ${job.id} already exists`);
    this.jobs.set(job.id, job);
    return copy(job);
  }

  async claim(workerId: string, leaseMs: number, now: Date): Promise<Job<P, R> | null> {
    const t = now.getTime();
    const candidates = [...this.jobs.values()]
      .filter(
        (j) =>
          (j.status === "queued" && j.runAfter.getTime() <= t) ||
          (j.status === "running" && j.leaseUntil !== null && j.leaseUntil.getTime() < t),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq);
    for (const job of candidates) {
      if (job.status === "running" && job.attempts >= job.maxAttempts) {
        // Its worker died on the last attempt: fail it rather than run it once more.
        Object.assign(job, {
          status: "failed",
          leaseOwner: null,
          leaseUntil: null,
          error: leaseExpiredMessage(job.attempts),
          updatedAt: now,
        });
        continue;
      }
      Object.assign(job, {
        status: "running",
        leaseOwner: workerId,
        leaseUntil: new Date(t + leaseMs),
        attempts: job.attempts + 1,
        updatedAt: now,
      });
      return copy(job);
    }
    return null;
  }

  async heartbeat(jobId: string, workerId: string, leaseMs: number, now: Date, progress: number): Promise<boolean> {
    const job = this.owned(jobId, workerId);
    if (!job) return false;
    job.leaseUntil = new Date(now.getTime() + leaseMs);
    job.progress = clamp01(progress);
    job.updatedAt = now;
    return true;
  }

  async complete(jobId: string, workerId: string, result: R, now: Date = this.clock()): Promise<boolean> {
    const job = this.jobs.get(jobId);
    if (job?.status === "done") return job.leaseOwner === workerId;
    if (!this.owned(jobId, workerId) || !job) return false;
    Object.assign(job, { status: "done", result, progress: 1, leaseUntil: null, error: null, updatedAt: now });
    return true;
  }

  async fail(jobId: string, workerId: string, error: string, now: Date, options: FailOptions = {}): Promise<boolean> {
    const job = this.owned(jobId, workerId);
    if (!job) return false;
    if (options.permanent || job.attempts >= job.maxAttempts) {
      Object.assign(job, { status: "failed", leaseOwner: null, leaseUntil: null, error, updatedAt: now });
    } else {
      Object.assign(job, {
        status: "queued",
        leaseOwner: null,
        leaseUntil: null,
        runAfter: new Date(now.getTime() + backoffMs(job.attempts, this.backoff)),
        progress: 0,
        error,
        updatedAt: now,
      });
    }
    return true;
  }

  async release(jobId: string, workerId: string, now: Date = this.clock()): Promise<boolean> {
    const job = this.owned(jobId, workerId);
    if (!job) return false;
    Object.assign(job, {
      status: "queued",
      leaseOwner: null,
      leaseUntil: null,
      attempts: job.attempts - 1,
      runAfter: now,
      progress: 0,
      updatedAt: now,
    });
    return true;
  }

  async get(jobId: string): Promise<Job<P, R> | null> {
    const job = this.jobs.get(jobId);
    return job ? copy(job) : null;
  }

  /** Every job, oldest first (for tests and diagnostics; not part of `JobQueue`). */
  async list(): Promise<Job<P, R>[]> {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq).map(copy);
  }

  private owned(jobId: string, workerId: string) {
    const job = this.jobs.get(jobId);
    return job && job.status === "running" && job.leaseOwner === workerId ? job : undefined;
  }
}

function copy<P, R>(job: Job<P, R> & { seq?: number }): Job<P, R> {
  const { seq: _seq, ...rest } = job;
  return { ...rest };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
