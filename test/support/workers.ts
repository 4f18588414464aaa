// Built render worker processes (apps/render-worker/dist/worker.js) on a throwaway database: spawn
// them, fill the database with projects, generated clips, versions and jobs, and check their exports.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { presetChain } from "@comaster/chain";
import { decodeAudio } from "@comaster/codecs";
import {
  createClass,
  createDb,
  createProject,
  createUser,
  type Db,
  type DbProvider,
  LocalBlobStore,
  PrismaJobQueue,
} from "@comaster/db";
import { analyzeAudio } from "@comaster/dsp";
import { musicLike, writeWav24 } from "../../scripts/lib/wavWriter.mjs";
import { REPO } from "./cli";
import { freshDatabase, type TestDatabase } from "./databases";

export const WORKER = join(REPO, "apps/render-worker/dist/worker.js");
const MIGRATE = join(REPO, "packages/db/scripts/migrate.mjs");

/** The columns and options of a stored render job, as `dbRenderDeps` reads them. */
export interface JobPayload {
  readonly versionId: string;
  readonly assetId: string;
  readonly format: string;
  readonly targetLufs: number;
  readonly options: { readonly format: string; readonly targetLufs: number };
}

export interface RunningWorker {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** A migrated database with one project and a blob store, for worker processes to share. */
export class WorkerWorld {
  readonly blobs: LocalBlobStore;
  readonly queue: PrismaJobQueue<JobPayload>;
  private readonly workers: RunningWorker[] = [];

  private constructor(
    readonly provider: DbProvider,
    readonly database: TestDatabase,
    readonly db: Db,
    readonly dir: string,
    readonly projectId: string,
    readonly authorId: string,
  ) {
    this.blobs = new LocalBlobStore(this.storageDir);
    this.queue = new PrismaJobQueue<JobPayload>(db, { provider });
  }

  /** A fresh database (migrated) and storage folder under `dir`. */
  static async create(provider: DbProvider, dir: string): Promise<WorkerWorld> {
    const database = await freshDatabase(provider, dir);
    const migrated = spawnSync(process.execPath, [MIGRATE], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: "utf8",
      timeout: 60_000,
    });
    if (migrated.status !== 0) throw new Error(`migration failed: ${migrated.stderr}`);
    const db = await createDb(database.url);
    const user = await createUser(db, { username: "worker-test", displayName: "Worker Test", passwordHash: "x" });
    const cls = await createClass(db, "Render workers", user.id);
    const project = await createProject(db, cls.id, "Render workers");
    return new WorkerWorld(provider, database, db, dir, project.id, user.id);
  }

  get storageDir(): string {
    return join(this.dir, "storage");
  }

  /** Generates `seconds` of music-like stereo 24-bit WAV, stores it and records the asset. */
  async addClip(seconds: number, seed: number): Promise<string> {
    const path = join(this.dir, `clip-${seed}-${seconds}.wav`);
    writeWav24(path, 44_100, seconds, musicLike(44_100, seed));
    return this.addAssetFile(path, { durationSeconds: seconds });
  }

  /** Stores `path`'s bytes as an asset of the project (they need not be audio). */
  async addAssetFile(path: string, o: { durationSeconds?: number } = {}): Promise<string> {
    const blob = await this.blobs.put(createReadStream(path));
    return this.addAssetRow(blob.key, blob.sha256, blob.size, o.durationSeconds ?? 1);
  }

  /** An asset row alone: its storage key need not exist in storage. */
  async addAssetRow(storageKey: string, contentHash: string, byteSize: number, durationSeconds = 1): Promise<string> {
    const asset = await this.db.asset.create({
      data: {
        projectId: this.projectId,
        contentHash,
        format: "wav",
        durationSeconds,
        sampleRate: 44_100,
        channels: 2,
        storageKey,
        byteSize,
      },
    });
    return asset.id;
  }

  /** A version whose chain is the streaming preset aiming at `targetLufs`, or the raw `chainJson` given. */
  async addVersion(label: string, chain: { targetLufs: number } | { chainJson: string }): Promise<string> {
    const chainJson =
      "chainJson" in chain
        ? chain.chainJson
        : JSON.stringify(presetChain("streaming", { targetLufs: chain.targetLufs }));
    const version = await this.db.version.create({
      data: { projectId: this.projectId, authorId: this.authorId, label, chainJson },
    });
    return version.id;
  }

  /** Queues a render of `assetId` with `versionId`'s chain at `targetLufs`, as the web app will. */
  async enqueue(
    assetId: string,
    versionId: string,
    o: { format?: string; targetLufs?: number; maxAttempts?: number } = {},
  ): Promise<string> {
    const format = o.format ?? "wav24";
    const targetLufs = o.targetLufs ?? -14;
    const payload: JobPayload = { versionId, assetId, format, targetLufs, options: { format, targetLufs } };
    return (await this.queue.enqueue({ payload, maxAttempts: o.maxAttempts })).id;
  }

  /** Starts a worker process on this world's database and storage. */
  startWorker(id: string, extra: Record<string, string> = {}): RunningWorker {
    const worker = spawnWorker(id, {
      DATABASE_URL: this.database.url,
      COMASTER_STORAGE_DIR: this.storageDir,
      POLL_MS: "100",
      ...extra,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Every worker's output, for assertion messages. */
  logs(): string {
    return this.workers.map((w) => `--- ${w.id}\n${w.output()}`).join("\n");
  }

  /** SIGTERMs every worker still running; resolves to their exit codes (SIGKILLed ones give null). */
  async stopWorkers(): Promise<(number | null)[]> {
    for (const w of this.workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
    return Promise.all(this.workers.map((w) => w.exited));
  }

  /** Waits until every job in `ids` is `done` or `failed`; returns the rows in the order of `ids`. */
  async settled(ids: readonly string[], timeoutMs = 120_000) {
    return waitFor(
      `${ids.length} jobs to settle`,
      async () => {
        const rows = await this.db.renderJob.findMany({ where: { id: { in: [...ids] } } });
        if (rows.length !== ids.length || rows.some((r) => r.status !== "done" && r.status !== "failed")) return;
        return ids.map((id) => rows.find((r) => r.id === id)!);
      },
      timeoutMs,
      () => this.logs(),
    );
  }

  /** The export file of a stored export row, decoded and measured (BS.1770 integrated loudness). */
  async measureExport(storageKey: string): Promise<{ integratedLufs: number | null; seconds: number; codec: string }> {
    const file = this.blobs.localPath(storageKey);
    if (!existsSync(file)) throw new Error(`the export ${storageKey} is not in storage`);
    const audio = await decodeAudio(readFileSync(file));
    const analysis = analyzeAudio(audio.channelData, audio.sampleRate);
    return {
      integratedLufs: analysis.integratedLufs,
      seconds: audio.channelData[0]!.length / audio.sampleRate,
      codec: audio.codec,
    };
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.db.$disconnect();
    await this.database.drop();
  }
}

/** Starts the built worker as `id` with `env` over the test's own environment, collecting its output. */
export function spawnWorker(id: string, env: Record<string, string>): RunningWorker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, WORKER_ID: id, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    out += b;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { id, child, exited, output: () => out };
}

/** Polls `f` every 50 ms until it returns a value; throws after `timeoutMs`, with `context()` appended. */
export async function waitFor<T>(
  what: string,
  f: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  context: () => string = () => "",
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
