/**
 * The collaboration server's update log on SQLite, synchronously, through the driver under Prisma's
 * adapter (`libsql`, better-sqlite3's API) on its own connection to the same file.
 *
 * Why not Prisma: the server appends every accepted update before anyone sees it, so the append is
 * on the path of every edit. Through Prisma it is a query compiled and sent to the driver's thread and
 * several promise hops (≈ 1.5 ms per edit in `pnpm bench collab`); here it is one prepared INSERT,
 * committed to the WAL before `append` returns (tens of microseconds), and no event-loop turn between
 * "stored" and "relayed". Same tables as the Prisma models `ChainDoc` and `ChainDocUpdate`, which the
 * web app reads (version snapshots) through Prisma; `chainDocLog.test.ts` checks both see one state.
 *
 * PostgreSQL keeps the Prisma store (apps/web/src/collab/prismaRoomStore.ts).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type LibsqlDatabase from "libsql";
import { DbConfigError, providerFromUrl } from "./provider";
import { retryWhileBusySync, SQLITE_BUSY_TIMEOUT_MS } from "./sqliteBusy";

// `libsql` is CommonJS with a native addon: loaded with require so bundles keep it external.
const require = createRequire(import.meta.url);

/** The file a `file:` DATABASE_URL names (`file:./rel.db`, `file:/abs.db`, `file:///abs.db`), as the libsql adapter reads it. */
export function sqlitePathFromUrl(url: string): string {
  if (providerFromUrl(url) !== "sqlite") {
    throw new DbConfigError("UNSUPPORTED_URL", "the synchronous chain document log is for SQLite (file:) only");
  }
  const rest = url.slice("file:".length).split("?", 1)[0]!;
  return rest.startsWith("//") ? rest.slice(2) : rest;
}

/**
 * The checkpointer: a thread with its own connection that copies the WAL into the database file
 * (`wal_checkpoint(PASSIVE)`: never blocks a writer). A checkpoint syncs the file to disk, which
 * takes milliseconds to tens of milliseconds; run by SQLite's automatic checkpoint it would land on
 * whichever append crosses the WAL's threshold and stall every room for that long. It posts the
 * number of WAL frames each checkpoint copied.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}");
const run = () => {
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    if (row && row.checkpointed > 0) parentPort.postMessage({ checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  run();
  db.close();
  parentPort.close();
});
`;

export interface SqliteChainDocLogOptions {
  /** How often the checkpointer thread copies the WAL into the database file (ms, default 2000). */
  checkpointEveryMs?: number;
  /** Called with each checkpoint's copied frame count, or its error (diagnostics, tests). */
  onCheckpoint?: (result: { checkpointed: number } | { error: string }) => void;
}

/** A room's stored state and log on SQLite; every method is synchronous and each write is one transaction. */
export class SqliteChainDocLog {
  readonly #db: LibsqlDatabase.Database;
  readonly #checkpointer: Worker;
  readonly #insert: LibsqlDatabase.Statement<[string, Buffer]>;
  readonly #state: LibsqlDatabase.Statement<[string]>;
  readonly #log: LibsqlDatabase.Statement<[string]>;
  readonly #count: LibsqlDatabase.Statement<[string]>;
  readonly #compact: (projectId: string, state: Uint8Array) => void;

  /** Opens `url` (a migrated SQLite database) on a connection of its own, and starts its checkpointer. */
  constructor(url: string, options: SqliteChainDocLogOptions = {}) {
    const Database = require("libsql") as typeof LibsqlDatabase;
    const path = sqlitePathFromUrl(url);
    this.#db = new Database(path, { fileMustExist: true });
    // As createDb: WAL (readers beside one writer), wait for a writer of another process rather than
    // fail, and sync at checkpoints (a commit survives kill -9; a power cut can lose the last few).
    // (The busy timeout first: it must cover the switch into WAL, which the other processes opening
    // the file at the same moment contend for.)
    this.#db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    retryWhileBusySync(() => this.#db.pragma("journal_mode = WAL"));
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("foreign_keys = ON");
    // Never checkpoint on this connection (see CHECKPOINTER): the thread below does.
    this.#db.pragma("wal_autocheckpoint = 0");
    this.#checkpointer = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: { driver: require.resolve("libsql"), path, everyMs: options.checkpointEveryMs ?? 2000 },
    });
    this.#checkpointer.on("message", (message: { checkpointed: number } | { error: string }) =>
      options.onCheckpoint?.(message),
    );
    this.#checkpointer.on("error", (error) => options.onCheckpoint?.({ error: String(error) }));
    this.#checkpointer.unref();
    this.#insert = this.#db.prepare('INSERT INTO "ChainDocUpdate" ("projectId", "update") VALUES (?, ?)');
    // Columns by name: this driver ignores `pluck()` on `get`.
    this.#state = this.#db.prepare('SELECT "yjsState" AS "bytes" FROM "ChainDoc" WHERE "projectId" = ?');
    this.#log = this.#db.prepare(
      'SELECT "update" AS "bytes" FROM "ChainDocUpdate" WHERE "projectId" = ? ORDER BY "id"',
    );
    this.#count = this.#db.prepare('SELECT COUNT(*) AS "n" FROM "ChainDocUpdate" WHERE "projectId" = ?');
    const upsert = this.#db.prepare<[string, Buffer, number]>(
      'INSERT INTO "ChainDoc" ("projectId", "yjsState", "updatedAt") VALUES (?, ?, ?) ' +
        'ON CONFLICT ("projectId") DO UPDATE SET "yjsState" = excluded."yjsState", "updatedAt" = excluded."updatedAt"',
    );
    const clear = this.#db.prepare<[string]>('DELETE FROM "ChainDocUpdate" WHERE "projectId" = ?');
    this.#compact = this.#db
      .transaction((projectId: string, state: Uint8Array) => {
        upsert.run(projectId, toBuffer(state), Date.now());
        clear.run(projectId);
      })
      .immediate.bind(null) as (projectId: string, state: Uint8Array) => void;
  }

  /** The stored state and every logged update after it, in order (empty: nothing stored). */
  load(projectId: string): Uint8Array[] {
    const state = this.#state.get(projectId) as BlobRow | undefined;
    const log = this.#log.all(projectId) as BlobRow[];
    return [...(state ? [state] : []), ...log].map((row) => copyOf(row.bytes));
  }

  /** Appends one update; it is committed when this returns. */
  append(projectId: string, update: Uint8Array): void {
    this.#insert.run(projectId, toBuffer(update));
  }

  /** Replaces the project's state with `state` and empties its log, in one transaction. */
  compact(projectId: string, state: Uint8Array): void {
    this.#compact(projectId, state);
  }

  /** How many updates wait in the project's log (tests, diagnostics). */
  logLength(projectId: string): number {
    return Number((this.#count.get(projectId) as { n: number | bigint }).n);
  }

  /** Closes the connection; the checkpointer copies what is left of the WAL and stops. */
  async close(): Promise<void> {
    this.#db.close();
    const exited = new Promise<void>((resolve) => this.#checkpointer.once("exit", () => resolve()));
    this.#checkpointer.postMessage("close");
    await exited;
  }
}

type BlobRow = { bytes: ArrayBuffer | ArrayBufferView };

/** A blob column as its own bytes (the driver gives an ArrayBuffer from `all` and a Buffer from `get`). */
const copyOf = (blob: ArrayBuffer | ArrayBufferView): Uint8Array =>
  blob instanceof ArrayBuffer
    ? new Uint8Array(blob)
    : new Uint8Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
