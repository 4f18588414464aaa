/** The synchronous SQLite log of the collaboration server, beside the Prisma client on the same file. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteChainDocLog, sqlitePathFromUrl } from "./chainDocLog";
import { createClass } from "./classes";
import { createDb, type Db } from "./client";
import { createProject, deleteProject } from "./projects";
import { freshSqlite, runScript, type TestDatabase } from "./test-databases";
import { createUser } from "./users";

let tdb: TestDatabase;
let db: Db;
let log: SqliteChainDocLog;
let classId: string;

beforeAll(async () => {
  tdb = await freshSqlite();
  await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
  db = await createDb(tdb.url);
  log = new SqliteChainDocLog(tdb.url);
  const teacher = await createUser(db, { username: "t", displayName: "T", passwordHash: "x" });
  classId = (await createClass(db, "Class", teacher.id)).id;
}, 60_000);

afterAll(async () => {
  await log?.close();
  await db?.$disconnect();
  await tdb?.drop();
});

const bytes = (...values: number[]) => new Uint8Array(values);

describe("SqliteChainDocLog", () => {
  it("reads the path of every form of file: URL and refuses others", () => {
    expect(sqlitePathFromUrl("file:./.data/comaster.db")).toBe("./.data/comaster.db");
    expect(sqlitePathFromUrl("file:/tmp/a.db")).toBe("/tmp/a.db");
    expect(sqlitePathFromUrl("file:///tmp/a.db?mode=rwc")).toBe("/tmp/a.db");
    expect(() => sqlitePathFromUrl("postgres://x/y")).toThrow(/SQLite/);
  });

  it("refuses a file that does not exist instead of creating an empty database", () => {
    expect(() => new SqliteChainDocLog(`${tdb.url}.missing`)).toThrow();
  });

  it("appends in order, compacts in one step, and Prisma reads what it wrote", async () => {
    const { id } = await createProject(db, classId, "Song");
    expect(log.load(id)).toEqual([]);
    log.append(id, bytes(1, 2));
    log.append(id, bytes(3));
    expect(log.load(id)).toEqual([bytes(1, 2), bytes(3)]);
    expect(await db.chainDocUpdate.count({ where: { projectId: id } })).toBe(2);

    const before = Date.now();
    log.compact(id, bytes(9, 9, 9));
    log.append(id, bytes(4));
    expect(log.load(id)).toEqual([bytes(9, 9, 9), bytes(4)]);
    expect(log.logLength(id)).toBe(1);
    const row = await db.chainDoc.findUniqueOrThrow({ where: { projectId: id } });
    expect(new Uint8Array(row.yjsState)).toEqual(bytes(9, 9, 9));
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.updatedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    // A row Prisma wrote is read by the log, and the second compaction replaces it.
    await db.chainDoc.update({ where: { projectId: id }, data: { yjsState: bytes(7) } });
    expect(log.load(id)[0]).toEqual(bytes(7));
    log.compact(id, bytes(8));
    expect(log.load(id)).toEqual([bytes(8)]);
  });

  it("never checkpoints on the appending connection; its thread copies the WAL into the file", async () => {
    const results: ({ checkpointed: number } | { error: string })[] = [];
    const own = new SqliteChainDocLog(tdb.url, { checkpointEveryMs: 20, onCheckpoint: (r) => results.push(r) });
    try {
      const { id } = await createProject(db, classId, "Busy");
      for (let i = 0; i < 300; i++) own.append(id, new Uint8Array(64).fill(i % 256));
      const deadline = Date.now() + 5000;
      while (!results.some((r) => "checkpointed" in r) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(results.filter((r) => "error" in r)).toEqual([]);
      expect(results.some((r) => "checkpointed" in r && r.checkpointed > 0)).toBe(true);
      expect(own.logLength(id)).toBe(300);
    } finally {
      await own.close();
    }
  });

  it("keeps projects apart and refuses an update of a project that does not exist", async () => {
    const a = (await createProject(db, classId, "A")).id;
    const b = (await createProject(db, classId, "B")).id;
    log.append(a, bytes(1));
    log.append(b, bytes(2));
    log.compact(a, bytes(5));
    expect(log.load(a)).toEqual([bytes(5)]);
    expect(log.load(b)).toEqual([bytes(2)]);
    expect(() => log.append("no-such-project", bytes(1))).toThrow(/FOREIGN KEY/i);
    expect(log.load("no-such-project")).toEqual([]);
    await deleteProject(db, b);
    expect(log.load(b)).toEqual([]);
  });
});
