import type { JobQueue } from "./jobQueue";
import {
  type RenderDeps,
  type RenderJob,
  RenderJobError,
  type RenderJobPayload,
  type RenderJobResult,
  runRenderJob,
  toRenderJobError,
} from "./runRenderJob";

/** Default of `RenderWorkerOptions.stallMs`. */
export const DEFAULT_STALL_MS = 5 * 60_000;

/** Waits `ms`, or less if `signal` aborts (it then resolves, it does not reject). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type WorkerEvent =
  | { readonly type: "claimed"; readonly jobId: string; readonly attempt: number }
  | { readonly type: "completed"; readonly jobId: string }
  | { readonly type: "failed"; readonly jobId: string; readonly error: string; readonly final: boolean }
  | { readonly type: "released"; readonly jobId: string }
  | { readonly type: "lease-lost"; readonly jobId: string }
  | { readonly type: "queue-error"; readonly jobId: string | null; readonly error: string };

export interface RenderWorkerOptions {
  readonly workerId: string;
  /** How long a claim lasts without a heartbeat. */
  readonly leaseMs: number;
  /** Heartbeat period; well under `leaseMs` (a third is usual). */
  readonly heartbeatMs: number;
  /** Wait between claims when the queue is empty. */
  readonly pollMs: number;
  /** On `stop()`, how long the current job may run on before it is handed back. Default: `leaseMs`. */
  readonly graceMs?: number;
  /**
   * A render that reports no progress for this long is given up: failed, to be retried like any
   * other failure. Heartbeats alone would keep a hung render's lease, and its class would read
   * "Rendering… 40 %" for ever. Must exceed `heartbeatMs`. Default: 5 minutes (a render reports
   * progress every block; the longest quiet stretch is storing the finished file).
   */
  readonly stallMs?: number;
  readonly clock?: () => Date;
  readonly sleep?: Sleep;
  readonly onEvent?: (event: WorkerEvent) => void;
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

interface Current {
  readonly job: RenderJob;
  readonly done: Promise<void>;
  handBack(): Promise<void>;
}

/**
 * The poll loop: claim a job, render it while heartbeating, then complete or fail it. Heartbeats
 * carry progress and extend the lease; when one finds the lease gone (another worker took the job
 * after it expired) the render is abandoned and never completed. `stop()` (SIGTERM) stops claiming,
 * lets the current job finish within `graceMs`, else hands it back to the queue.
 */
export class RenderWorker {
  private readonly clock: () => Date;
  private readonly sleep: Sleep;
  private readonly graceMs: number;
  private readonly stallMs: number;
  private readonly wake = new AbortController();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private current: Current | null = null;

  constructor(
    private readonly queue: JobQueue<RenderJobPayload, RenderJobResult>,
    private readonly deps: RenderDeps,
    private readonly options: RenderWorkerOptions,
  ) {
    if (!(options.heartbeatMs > 0 && options.heartbeatMs < options.leaseMs)) {
      throw new RangeError(`heartbeatMs (${options.heartbeatMs}) must be > 0 and < leaseMs (${options.leaseMs})`);
    }
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? realSleep;
    this.graceMs = options.graceMs ?? options.leaseMs;
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    if (!(this.stallMs > options.heartbeatMs)) {
      throw new RangeError(`stallMs (${this.stallMs}) must be > heartbeatMs (${options.heartbeatMs})`);
    }
  }

  /** Starts the loop; the promise settles when the worker has stopped. */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.loop;
  }

  /** Stops claiming; the current job finishes within the grace period or is handed back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    const cur = this.current;
    if (cur) {
      const grace = new AbortController();
      const timedOut = await Promise.race([
        cur.done.then(() => false),
        this.sleep(this.graceMs, grace.signal).then(() => true),
      ]);
      grace.abort();
      if (timedOut) await cur.handBack();
    }
    await this.loop;
  }

  private get id(): string {
    return this.options.workerId;
  }

  private emit(event: WorkerEvent): void {
    this.options.onEvent?.(event);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let job: RenderJob | null = null;
      try {
        job = await this.queue.claim(this.id, this.options.leaseMs, this.clock());
      } catch (err) {
        this.emit({ type: "queue-error", jobId: null, error: message(err) });
      }
      if (!job) {
        await this.sleep(this.options.pollMs, this.wake.signal);
        continue;
      }
      if (this.stopping) {
        // Stopped while the claim was in flight: give it straight back.
        await this.queueCall(job.id, () => this.queue.release(job.id, this.id, this.clock()));
        this.emit({ type: "released", jobId: job.id });
        break;
      }
      const done = this.runOne(job);
      await done;
    }
  }

  private async runOne(job: RenderJob): Promise<void> {
    this.emit({ type: "claimed", jobId: job.id, attempt: job.attempts });
    const state = {
      lost: false,
      handedBack: false,
      settled: false,
      stalled: false,
      progress: 0,
      progressAt: this.clock().getTime(),
    };
    let abandon!: () => void;
    const abandoned = new Promise<"abandoned">((resolve) => {
      abandon = () => resolve("abandoned");
    });
    const stopHeartbeats = new AbortController();
    const heartbeats = this.heartbeatLoop(job, state, stopHeartbeats.signal, abandon);

    const work = runRenderJob(this.deps, job, (fraction) => {
      if (state.lost) throw new RenderJobError("LEASE_LOST", "the lease on this job was lost");
      if (state.handedBack) throw new RenderJobError("HANDED_BACK", "the job was handed back");
      if (state.stalled) throw new RenderJobError("STALLED", "the render was given up as stalled");
      state.progressAt = this.clock().getTime();
      // The master's estimate can step back when it plans one more pass; a job's progress never does.
      if (Number.isFinite(fraction)) state.progress = Math.max(state.progress, Math.min(1, fraction));
    }).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );

    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.current = {
      job,
      done,
      handBack: async () => {
        if (state.settled || state.lost) return;
        state.handedBack = true;
        await this.queueCall(job.id, () => this.queue.release(job.id, this.id, this.clock()));
        abandon();
      },
    };

    try {
      const raced = await Promise.race([work, abandoned]);
      if (state.handedBack) return this.emit({ type: "released", jobId: job.id });
      // A stalled render fails like a failed one (retried while attempts remain); if it wakes up, its
      // next progress report throws and it stops.
      const outcome = state.stalled ? { ok: false as const, error: stalledError(this.stallMs) } : raced;
      if (outcome === "abandoned" || state.lost) return this.emit({ type: "lease-lost", jobId: job.id });
      state.settled = true;
      stopHeartbeats.abort();
      if (outcome.ok) {
        const ok = await this.queueCall(job.id, () =>
          this.queue.complete(job.id, this.id, outcome.result, this.clock()),
        );
        this.emit(ok ? { type: "completed", jobId: job.id } : { type: "lease-lost", jobId: job.id });
      } else {
        const e = toRenderJobError(outcome.error);
        const final = e.permanent || job.attempts >= job.maxAttempts;
        const ok = await this.queueCall(job.id, () =>
          this.queue.fail(job.id, this.id, e.message, this.clock(), { permanent: e.permanent }),
        );
        this.emit(
          ok ? { type: "failed", jobId: job.id, error: e.message, final } : { type: "lease-lost", jobId: job.id },
        );
      }
    } finally {
      stopHeartbeats.abort();
      await heartbeats;
      this.current = null;
      finish();
    }
  }

  private async heartbeatLoop(
    job: RenderJob,
    state: { lost: boolean; stalled: boolean; progress: number; progressAt: number },
    signal: AbortSignal,
    abandon: () => void,
  ): Promise<void> {
    const { leaseMs, heartbeatMs } = this.options;
    while (!signal.aborted) {
      await this.sleep(heartbeatMs, signal);
      if (signal.aborted) return;
      if (this.clock().getTime() - state.progressAt >= this.stallMs) {
        state.stalled = true;
        abandon();
        return;
      }
      const ok = await this.queueCall(job.id, () =>
        this.queue.heartbeat(job.id, this.id, leaseMs, this.clock(), state.progress),
      );
      if (signal.aborted) return;
      // A failed call (database down) is retried at the next beat; only a refusal means the lease is gone.
      if (ok === false) {
        state.lost = true;
        abandon();
        return;
      }
    }
  }

  /** A queue call whose error is reported, not thrown: the loop must outlive a database hiccup. */
  private async queueCall<T>(jobId: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (err) {
      this.emit({ type: "queue-error", jobId, error: message(err) });
      return undefined;
    }
  }
}

function stalledError(stallMs: number): RenderJobError {
  const quiet = stallMs >= 60_000 ? `${Math.round(stallMs / 60_000)} min` : `${Math.round(stallMs / 1000)} s`;
  return new RenderJobError("STALLED", `The render made no progress for ${quiet} and was stopped.`);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
