import type { Db } from "./client";
import type { RenderJob as RenderJobRow } from "./generated/sqlite/client";
import type { DbProvider } from "./provider";

/**
 * The render job queue over the RenderJob table, shared by every worker process on every machine.
 * It has the shape of the worker's `JobQueue` (apps/render-worker/src/jobs/jobQueue.ts; a package
 * cannot import an app, so the types are restated here and match structurally) and the semantics of
 * its reference `MemoryJobQueue`: at-least-once delivery with leases, and only the lease owner can
 * heartbeat, complete, fail or release a job.
 *
 * Every transition is one guarded write. A claim is `FOR UPDATE SKIP LOCKED` on PostgreSQL and a
 * compare-and-set retried on conflict on SQLite (which serialises writers).
 */

export type RenderJobStatus = "queued" | "running" | "done" | "failed";

/** The columns a render job row needs; the whole payload (these and anything else) is kept as JSON. */
export interface RenderJobRef {
  readonly versionId: string;
  readonly assetId: string;
  readonly format: string;
  readonly targetLufs: number;
}

export interface QueuedJob<P, R> {
  readonly id: string;
  readonly status: RenderJobStatus;
  /** Claims so far, including the one running now (a release hands the attempt back). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: Date | null;
  readonly runAfter: Date;
  readonly progress: number;
  readonly error: string | null;
  readonly payload: P;
  readonly result: R | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface PrismaJobQueueOptions {
  /** Which database `db` talks to (`providerFromUrl(DATABASE_URL)`): the claim differs. */
  readonly provider: DbProvider;
  /** Default attempts per job. Default 5, as the worker's `DEFAULT_MAX_ATTEMPTS`. */
  readonly maxAttempts?: number;
  /**
   * Delay in ms before the next try after `attempts` failed attempts. Default `defaultBackoffMs`:
   * the worker's formula, 5 s · 2^(attempts−1) capped at 5 min. Pass the worker's `backoffMs` to share it.
   */
  readonly backoffMs?: (attempts: number) => number;
  /** The error a job gets when its worker died on its last attempt. */
  readonly leaseExpiredMessage?: (attempts: number) => string;
  /** Used for `enqueue`'s default `runAfter` and the optional `now` arguments. Default: the system clock. */
  readonly clock?: () => Date;
}

/** 5 s · 2^(attempts−1), capped at 5 min: the worker's `backoffMs` with its `DEFAULT_BACKOFF`. */
export function defaultBackoffMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(300_000, 5_000 * 2 ** Math.min(n - 1, 40));
}

const defaultLeaseExpiredMessage = (attempts: number) =>
  `The render stopped: the worker rendering it stopped responding (${attempts} ${attempts === 1 ? "attempt" : "attempts"}).`;

/** SQLite compare-and-set rounds before a claim gives up for this poll (each lost round means another worker won). */
const MAX_CAS_ROUNDS = 50;

export class PrismaJobQueue<P extends RenderJobRef = RenderJobRef, R = unknown> {
  private readonly provider: DbProvider;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempts: number) => number;
  private readonly expiredMessage: (attempts: number) => string;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Db,
    options: PrismaJobQueueOptions,
  ) {
    this.provider = options.provider;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.expiredMessage = options.leaseExpiredMessage ?? defaultLeaseExpiredMessage;
    this.clock = options.clock ?? (() => new Date());
  }

  async enqueue(input: { readonly payload: P; readonly maxAttempts?: number; readonly runAfter?: Date }) {
    const maxAttempts = input.maxAttempts ?? this.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new RangeError(`maxAttempts must be ≥ 1, got ${maxAttempts}`);
    const { versionId, assetId, format, targetLufs } = input.payload;
    const now = this.clock();
    const row = await this.db.renderJob.create({
      data: {
        versionId,
        assetId,
        format,
        targetLufs,
        maxAttempts,
        runAfter: input.runAfter ?? now,
        payloadJson: JSON.stringify(input.payload),
        createdAt: now,
      },
    });
    return this.toJob(row);
  }

  /**
   * Atomically takes the oldest claimable job (`queued` with `runAfter <= now`, or `running` with
   * `leaseUntil < now`), sets it `running` for `workerId` until `now + leaseMs` and counts an attempt.
   * Expired jobs that used all their attempts are failed first, with `leaseExpiredMessage`.
   */
  async claim(workerId: string, leaseMs: number, now: Date): Promise<QueuedJob<P, R> | null> {
    await this.failExhausted(now);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    if (this.provider === "postgresql") {
      const id = await this.claimPostgres(workerId, leaseUntil, now);
      return id === null ? null : this.get(id);
    }
    return this.claimSqlite(workerId, leaseUntil, now);
  }

  async heartbeat(jobId: string, workerId: string, leaseMs: number, now: Date, progress: number): Promise<boolean> {
    const { count } = await this.db.renderJob.updateMany({
      where: owned(jobId, workerId),
      data: { leaseUntil: new Date(now.getTime() + leaseMs), progress: clamp01(progress), updatedAt: now },
    });
    return count === 1;
  }

  /** Marks the job done with its result. Only the lease owner; true again for the same owner once done. */
  async complete(jobId: string, workerId: string, result: R, now: Date = this.clock()): Promise<boolean> {
    const { count } = await this.db.renderJob.updateMany({
      where: owned(jobId, workerId),
      data: {
        status: "done",
        resultJson: JSON.stringify(result ?? null),
        progress: 1,
        leaseUntil: null,
        error: null,
        updatedAt: now,
      },
    });
    if (count === 1) return true;
    const done = await this.db.renderJob.count({ where: { id: jobId, status: "done", leaseOwner: workerId } });
    return done === 1;
  }

  /** Back to `queued` after the backoff, or `failed` for good once attempts are used (or `permanent`). */
  async fail(
    jobId: string,
    workerId: string,
    error: string,
    now: Date,
    options: { readonly permanent?: boolean } = {},
  ): Promise<boolean> {
    const row = await this.db.renderJob.findFirst({ where: owned(jobId, workerId) });
    if (!row) return false;
    const final = options.permanent === true || row.attempts >= row.maxAttempts;
    // Guarded on the attempts read above too: a lost lease between the read and the write changes nothing.
    const { count } = await this.db.renderJob.updateMany({
      where: { ...owned(jobId, workerId), attempts: row.attempts },
      data: final
        ? { status: "failed", leaseOwner: null, leaseUntil: null, error, updatedAt: now }
        : {
            status: "queued",
            leaseOwner: null,
            leaseUntil: null,
            runAfter: new Date(now.getTime() + this.backoffMs(row.attempts)),
            progress: 0,
            error,
            updatedAt: now,
          },
    });
    return count === 1;
  }

  /** Hands a running job back (SIGTERM) without counting the attempt. Only the lease owner. */
  async release(jobId: string, workerId: string, now: Date = this.clock()): Promise<boolean> {
    const { count } = await this.db.renderJob.updateMany({
      where: owned(jobId, workerId),
      data: {
        status: "queued",
        leaseOwner: null,
        leaseUntil: null,
        attempts: { decrement: 1 },
        runAfter: now,
        progress: 0,
        updatedAt: now,
      },
    });
    return count === 1;
  }

  async get(jobId: string): Promise<QueuedJob<P, R> | null> {
    const row = await this.db.renderJob.findUnique({ where: { id: jobId } });
    return row ? this.toJob(row) : null;
  }

  private claimable(now: Date) {
    return {
      OR: [
        { status: "queued", runAfter: { lte: now } },
        {
          status: "running",
          leaseUntil: { lt: now },
          attempts: { lt: this.db.renderJob.fields.maxAttempts },
        },
      ],
    };
  }

  /** Fails expired jobs whose worker died on the last attempt, each with its own readable message. */
  private async failExhausted(now: Date): Promise<void> {
    const dead = await this.db.renderJob.findMany({
      where: {
        status: "running",
        leaseUntil: { lt: now },
        attempts: { gte: this.db.renderJob.fields.maxAttempts },
      },
      select: { id: true, attempts: true, leaseOwner: true },
    });
    for (const job of dead) {
      await this.db.renderJob.updateMany({
        where: {
          id: job.id,
          status: "running",
          leaseOwner: job.leaseOwner,
          attempts: job.attempts,
          leaseUntil: { lt: now },
        },
        data: {
          status: "failed",
          leaseOwner: null,
          leaseUntil: null,
          error: this.expiredMessage(job.attempts),
          updatedAt: now,
        },
      });
    }
  }

  /** One statement: lock the oldest claimable row, skipping rows other claims hold, and take it. */
  private async claimPostgres(workerId: string, leaseUntil: Date, now: Date): Promise<string | null> {
    // Timestamps go in as UTC ISO text: the columns are `timestamp(3)` (no zone) holding UTC.
    const t = now.toISOString();
    const until = leaseUntil.toISOString();
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE "RenderJob"
      SET "status" = 'running',
          "leaseOwner" = ${workerId},
          "leaseUntil" = (${until}::timestamptz AT TIME ZONE 'UTC'),
          "attempts" = "attempts" + 1,
          "updatedAt" = (${t}::timestamptz AT TIME ZONE 'UTC')
      WHERE "id" = (
        SELECT "id" FROM "RenderJob"
        WHERE ("status" = 'queued' AND "runAfter" <= (${t}::timestamptz AT TIME ZONE 'UTC'))
           OR ("status" = 'running' AND "leaseUntil" < (${t}::timestamptz AT TIME ZONE 'UTC')
               AND "attempts" < "maxAttempts")
        ORDER BY "createdAt", "id"
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`;
    return rows[0]?.id ?? null;
  }

  /** Compare-and-set: take the candidate only if nobody changed it since we read it; else try the next. */
  private async claimSqlite(workerId: string, leaseUntil: Date, now: Date): Promise<QueuedJob<P, R> | null> {
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const candidate = await this.db.renderJob.findFirst({
        where: this.claimable(now),
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, status: true, attempts: true, leaseOwner: true },
      });
      if (!candidate) return null;
      const { count } = await this.db.renderJob.updateMany({
        where: {
          AND: [
            this.claimable(now),
            {
              id: candidate.id,
              status: candidate.status,
              attempts: candidate.attempts,
              leaseOwner: candidate.leaseOwner,
            },
          ],
        },
        data: { status: "running", leaseOwner: workerId, leaseUntil, attempts: { increment: 1 }, updatedAt: now },
      });
      if (count === 1) return this.get(candidate.id);
    }
    return null;
  }

  private toJob(row: RenderJobRow): QueuedJob<P, R> {
    return {
      id: row.id,
      status: row.status as RenderJobStatus,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      leaseOwner: row.leaseOwner,
      leaseUntil: row.leaseUntil,
      runAfter: row.runAfter,
      progress: row.progress,
      error: row.error,
      payload: JSON.parse(row.payloadJson) as P,
      result: row.resultJson === null ? null : (JSON.parse(row.resultJson) as R),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

function owned(id: string, leaseOwner: string) {
  return { id, leaseOwner, status: "running" };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
