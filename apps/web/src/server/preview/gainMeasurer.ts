import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type Chain, soundSignature } from "@comaster/chain";
import {
  claimedElsewhere,
  claimLoudnessGain,
  type Db,
  findLoudnessGain,
  type GainClaim,
  type LoudnessGainRow,
  releaseLoudnessGainClaim,
  renewLoudnessGainClaim,
  saveLoudnessGain,
} from "@comaster/db";
import type { MeasureGain } from "./measureGainWithCli";

/** Bumped when the DSP changes what a render sounds like: measurements stored before are not reused. */
export const MEASURE_VERSION = 1;

/** What the preview learns about the loudness gain of a chain on a mix. */
export type GainStatus =
  | { readonly status: "ready"; readonly sound: string; readonly gain: LoudnessGainRow }
  | { readonly status: "measuring"; readonly sound: string }
  | { readonly status: "failed"; readonly sound: string; readonly message: string };

export interface GainRequest {
  /**
   * Which measurement a newer request replaces while it waits: one per preview path (the live chain
   * of a project on a mix, a saved version on a mix). A queued request of the same lane is dropped.
   */
  readonly lane: string;
  readonly assetId: string;
  /** The asset's file on the server's disk. */
  readonly path: string;
  readonly chain: Chain;
}

export interface GainMeasurerOptions {
  readonly db: Db;
  readonly measure: MeasureGain;
  /** Measurements run at once in this process (each is a child process using up to two threads). Default 1. */
  readonly concurrency?: number;
  /** Requests waiting; more are refused (`GainQueueFull`). Default 64. */
  readonly maxQueued?: number;
  /** How long a failure is reported before the same measurement is tried again. Default 5 minutes. */
  readonly failureTtlMs?: number;
  /** Failures remembered at most; the oldest are forgotten first (and measured again if asked). Default 1000. */
  readonly maxFailures?: number;
  /**
   * This process, in the database's claims (`LoudnessGainClaim`): several web processes measure a
   * chain on a mix once between them. Default: hostname, pid and a random part.
   */
  readonly owner?: string;
  /** How long a claim lasts without renewal (renewed every third of it while measuring). Default 60 s. */
  readonly claimLeaseMs?: number;
  readonly now?: () => number;
}

/** Too many measurements are waiting: the caller should try again later. */
export class GainQueueFull extends Error {
  override name = "GainQueueFull";
}

interface Job extends GainRequest {
  readonly key: string;
  readonly sound: string;
}

/**
 * Measures the loudness gain of chains on mixes, on demand, once: a stored measurement is answered
 * from the database; otherwise the request joins a queue (or the measurement already under way) and
 * the answer is "measuring" until it is stored. A newer request of the same lane replaces one still
 * waiting, so a class turning knobs keeps at most one measurement per chain path waiting, never a
 * backlog. Across processes, a claim row in the database says who measures: a process asked about a
 * measurement another one is running answers "measuring" and leaves it to that one. Nothing is lost
 * by a crash: the dead process's claim expires and the next request measures again.
 */
export class GainMeasurer {
  readonly #o: GainMeasurerOptions;
  readonly #queue: Job[] = [];
  readonly #running = new Map<string, Job>();
  readonly #failures = new Map<string, { message: string; at: number }>();
  readonly #aborts = new Set<AbortController>();
  readonly #owner: string;
  #closed = false;

  constructor(o: GainMeasurerOptions) {
    this.#o = o;
    this.#owner = o.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  /** The stored gain of `chain` on the asset, or the state of its measurement (started here if need be). */
  async status(request: GainRequest): Promise<GainStatus> {
    const sound = soundSignature(request.chain);
    const key = chainKey(sound);
    const stored = await findLoudnessGain(this.#o.db, request.assetId, key);
    if (stored) return { status: "ready", sound, gain: stored };
    const id = `${request.assetId}:${key}`;
    if (this.#running.has(id) || this.#queue.some((j) => jobId(j) === id)) return { status: "measuring", sound };
    const now = this.#now();
    if (await claimedElsewhere(this.#o.db, request.assetId, key, this.#owner, new Date(now))) {
      return { status: "measuring", sound };
    }
    const failure = this.#failures.get(id);
    if (failure && now - failure.at < (this.#o.failureTtlMs ?? 5 * 60_000)) {
      return { status: "failed", sound, message: failure.message };
    }
    this.#failures.delete(id);
    const waiting = this.#queue.findIndex((j) => j.lane === request.lane);
    if (waiting >= 0) this.#queue.splice(waiting, 1);
    else if (this.#queue.length >= (this.#o.maxQueued ?? 64)) {
      throw new GainQueueFull("The server is busy measuring loudness; the preview estimates it meanwhile.");
    }
    this.#queue.push({ ...request, key, sound });
    this.#pump();
    return { status: "measuring", sound };
  }

  /** Measurements waiting and running (for tests and the status page). */
  get pending(): { readonly queued: number; readonly running: number } {
    return { queued: this.#queue.length, running: this.#running.size };
  }

  /** Stops: drops the queue and kills the measurements under way. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const a of this.#aborts) a.abort();
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < (this.#o.concurrency ?? 1) && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running.set(jobId(job), job);
      void this.#run(job);
    }
  }

  async #run(job: Job): Promise<void> {
    const abort = new AbortController();
    this.#aborts.add(abort);
    const claim: GainClaim = { assetId: job.assetId, chainKey: job.key, owner: this.#owner };
    const leaseMs = this.#o.claimLeaseMs ?? 60_000;
    let claimed = false;
    let renewal: ReturnType<typeof setInterval> | undefined;
    try {
      // Another process may have started it (or stored it) since this one was asked: then it is theirs.
      claimed = await claimLoudnessGain(this.#o.db, claim, new Date(this.#now()), leaseMs);
      if (!claimed || (await findLoudnessGain(this.#o.db, job.assetId, job.key))) return;
      renewal = setInterval(() => {
        // A lost renewal only means another process may measure it too; the stored row is the same.
        renewLoudnessGainClaim(this.#o.db, claim, new Date(this.#now()), leaseMs).catch(() => {});
      }, leaseMs / 3);
      renewal.unref?.();
      const m = await this.#o.measure(job.path, job.chain, abort.signal);
      if (this.#closed) return;
      await saveLoudnessGain(this.#o.db, {
        assetId: job.assetId,
        chainKey: job.key,
        gainDb: m.loudnessGainDb,
        targetLufs: m.targetLufs,
        integratedLufs: m.integratedLufs,
        passes: m.passes,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#failures.set(jobId(job), { message, at: this.#now() });
      // Bounded: the oldest failures go first (a retry after them measures again).
      for (const id of this.#failures.keys()) {
        if (this.#failures.size <= (this.#o.maxFailures ?? 1000)) break;
        this.#failures.delete(id);
      }
    } finally {
      clearInterval(renewal);
      if (claimed) await releaseLoudnessGainClaim(this.#o.db, claim).catch(() => {});
      this.#aborts.delete(abort);
      this.#running.delete(jobId(job));
      this.#pump();
    }
  }
}

/** The database key of a measurement: sha256 of the measuring version and the chain's sound signature. */
export function chainKey(sound: string): string {
  return createHash("sha256").update(`${MEASURE_VERSION}\n${sound}`).digest("hex");
}

const jobId = (j: Job) => `${j.assetId}:${j.key}`;
