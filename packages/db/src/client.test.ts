/** Opening SQLite while other processes open or hold the same file (web, collaboration server and workers start together). */
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type LibsqlDatabase from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteChainDocLog, sqlitePathFromUrl } from "./chainDocLog";
import { createDb, type Db } from "./client";
import { isSqliteBusy } from "./sqliteBusy";
import { freshSqlite, runScript, type TestDatabase } from "./test-databases";

const require = createRequire(import.meta.url);
const Database = require("libsql") as typeof LibsqlDatabase;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function migratedFile(): Promise<TestDatabase> {
  const tdb = await freshSqlite();
  cleanups.push(() => tdb.drop());
  await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
  return tdb;
}

const journalMode = async (db: Db) =>
  ((await db.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[])[0]?.journal_mode;

/**
 * Another process (a thread here: SQLite's busy wait blocks the thread that waits) takes the file's
 * lock (`BEGIN EXCLUSIVE` or `IMMEDIATE`) and holds it for `ms`; resolves once it holds it.
 */
async function holdLock(path: string, begin: "EXCLUSIVE" | "IMMEDIATE", ms: number): Promise<void> {
  const holder = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const db = new (require(workerData.driver))(workerData.path);
     db.exec("BEGIN " + workerData.begin);
     parentPort.postMessage("holding");
     setTimeout(() => { db.exec("COMMIT"); db.close(); parentPort.postMessage("released"); }, workerData.ms);`,
    { eval: true, workerData: { driver: require.resolve("libsql"), path, begin, ms } },
  );
  cleanups.push(() => holder.terminate());
  await new Promise<void>((resolve) => holder.once("message", () => resolve()));
}

describe("createDb on SQLite", () => {
  it("waits for a process that holds the file instead of failing at start, then switches it to WAL", async () => {
    const tdb = await migratedFile();
    const path = sqlitePathFromUrl(tdb.url);
    const probe = new Database(path);
    expect(probe.pragma("journal_mode")).toEqual([{ journal_mode: "delete" }]); // the switch is still to come
    probe.close();
    await holdLock(path, "EXCLUSIVE", 700);
    const t0 = performance.now();
    const db = await createDb(tdb.url);
    cleanups.push(() => db.$disconnect());
    expect(performance.now() - t0).toBeGreaterThan(500); // it waited for the holder, and did not fail
    expect(await journalMode(db)).toBe("wal");
  });

  it("four Prisma clients and the collaboration log opening a fresh file at once all open it", async () => {
    const tdb = await migratedFile();
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => createDb(tdb.url)),
      Promise.resolve().then(() => new SqliteChainDocLog(tdb.url)),
    ]);
    for (const r of results) {
      if (r.status === "fulfilled") cleanups.push(() => ("close" in r.value ? r.value.close() : r.value.$disconnect()));
    }
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(Array(5).fill("ok"));
    const db = (results[0] as PromiseFulfilledResult<Db>).value;
    expect(await journalMode(db)).toBe("wal");
  });

  it("keeps waiting for another process's lock on every connection, also after a transaction", async () => {
    // libsql's client opens a new connection after each transaction (the old one goes to the
    // transaction): a pragma run once on the first connection does not reach it, and a write on it
    // failed at once with SQLITE_BUSY while the collaboration server appended an update.
    const tdb = await migratedFile();
    const path = sqlitePathFromUrl(tdb.url);
    const db = await createDb(tdb.url);
    cleanups.push(() => db.$disconnect());
    for (let round = 0; round < 2; round++) {
      await db.$transaction([db.user.count(), db.project.count()]);
      await holdLock(path, "IMMEDIATE", 400); // as the collaboration server appending
      const t0 = performance.now();
      await db.user.create({ data: { email: `u${round}@example.com`, username: `u${round}`, displayName: "U" } });
      expect(performance.now() - t0).toBeGreaterThan(250); // it waited for the holder
    }
    expect(await db.user.count()).toBe(2);
  });

  it("closes what each transaction opened: the process's file descriptors stay flat", async () => {
    // libsql's client handed its connection to each transaction and never closed it: two
    // descriptors per transaction (the file and its WAL), until a busy web process ran out.
    const tdb = await migratedFile();
    const db = await createDb(tdb.url);
    cleanups.push(() => db.$disconnect());
    const descriptors = () => readdirSync("/proc/self/fd").length;
    await db.$transaction([db.user.count(), db.project.count()]);
    const before = descriptors();
    for (let i = 0; i < 300; i++) {
      await db.$transaction([db.user.count(), db.project.count()]);
      await db.$transaction(async (tx) => tx.user.count());
    }
    expect(descriptors() - before).toBeLessThan(10); // the old adapter: +1200
  });

  it("a failed or refused transaction leaves nothing behind and the next queries run outside it", async () => {
    const tdb = await migratedFile();
    const db = await createDb(tdb.url);
    cleanups.push(() => db.$disconnect());
    const user = (n: string) => ({ data: { email: `${n}@example.com`, username: n, displayName: n } });
    await db.user.create(user("first"));
    // An interactive transaction that throws after a write: rolled back.
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.create(user("inside"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // A batch whose second write violates a unique key: the first write is rolled back too.
    await expect(db.$transaction([db.user.create(user("batch")), db.user.create(user("first"))])).rejects.toThrow();
    expect((await db.user.findMany({ orderBy: { username: "asc" } })).map((u) => u.username)).toEqual(["first"]);
    // Not inside a transaction any more: a write outside commits at once, visible to another connection.
    await db.user.create(user("after"));
    const other = new Database(sqlitePathFromUrl(tdb.url));
    cleanups.push(() => other.close());
    expect((other.prepare("SELECT count(*) AS n FROM User").get() as { n: number }).n).toBe(2);
  });

  it("tells SQLite's busy error apart from others, through the causes Prisma wraps it in", () => {
    expect(isSqliteBusy(new Error("Raw query failed. Code: `5`. Message: `SQLITE_BUSY: database is locked`"))).toBe(
      true,
    );
    expect(isSqliteBusy(new Error("outer", { cause: new Error("database is locked") }))).toBe(true);
    expect(isSqliteBusy(new Error("UNIQUE constraint failed"))).toBe(false);
    expect(isSqliteBusy(undefined)).toBe(false);
  });
});
