/** The database side of the collaboration server, on a throwaway SQLite file. */
import { chainToDoc, docToChain, presetChain, readChain, setParam } from "@comaster/chain";
import { createClass, createDb, createProject, createUser, type Db } from "@comaster/db";
import { SqliteChainDocLog } from "@comaster/db/chain-doc-log";
import { freshSqlite, runScript } from "@comaster/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prismaCheckMembership, prismaInitialChain } from "./prismaCollabDeps";
import { PrismaRoomStore } from "./prismaRoomStore";
import { SqliteRoomStore } from "./sqliteRoomStore";

let db: Db;
let log: SqliteChainDocLog;
let drop: () => Promise<void>;
let projectId: string;
let teacherId: string;
let classId: string;

beforeAll(async () => {
  const tdb = await freshSqlite();
  await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
  db = await createDb(tdb.url);
  log = new SqliteChainDocLog(tdb.url);
  drop = tdb.drop;
  const teacher = await createUser(db, { username: "teacher", displayName: "T", passwordHash: "x" });
  teacherId = teacher.id;
  const cls = await createClass(db, "Class", teacher.id);
  classId = cls.id;
  projectId = (await createProject(db, cls.id, "Song")).id;
}, 60_000);

afterAll(async () => {
  await log?.close();
  await db?.$disconnect();
  await drop?.();
});

// The two stores of the server on one file: each must read what the other wrote (the web app reads a
// room through PrismaRoomStore while the server writes it through SqliteRoomStore).
describe.each([
  { name: "PrismaRoomStore", make: () => new PrismaRoomStore(db), other: () => new SqliteRoomStore(log) },
  { name: "SqliteRoomStore", make: () => new SqliteRoomStore(log), other: () => new PrismaRoomStore(db) },
])("$name", ({ make, other }) => {
  let projectId: string;
  beforeAll(async () => {
    projectId = (await createProject(db, classId, "Song")).id;
  });

  it("loads null, then the merged state of every append and compaction", async () => {
    const store = make();
    expect(await store.load(projectId)).toBeNull();
    const doc = new Y.Doc();
    const chain = presetChain("streaming");
    chainToDoc(chain, doc);
    await store.compact(projectId, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(doc);
    setParam(doc, chain.modules.find((m) => m.type === "limiter")!.id, "ceilingDbtp", -2);
    await store.append(projectId, Y.encodeStateAsUpdate(doc, before));
    for (const reader of [store, other()]) {
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, (await reader.load(projectId))!);
      expect(loaded.getArray("modules").toJSON()).toEqual(doc.getArray("modules").toJSON());
    }
  });

  it("appends one row per update and folds the log into the state on compaction", async () => {
    const store = make();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(projectId))!);
    const limiterId = readChain(doc).modules.find((m) => m.type === "limiter")!.id;
    const logged = await store.logLength(projectId); // the previous test's append
    for (let i = 1; i <= 4; i++) {
      const before = Y.encodeStateVector(doc);
      setParam(doc, limiterId, "ceilingDbtp", -i);
      await store.append(projectId, Y.encodeStateAsUpdate(doc, before));
    }
    expect(await store.logLength(projectId)).toBe(logged + 4);
    const fromLog = new Y.Doc();
    Y.applyUpdate(fromLog, (await store.load(projectId))!);
    expect(docToChain(fromLog)).toEqual(docToChain(doc));
    await store.compact(projectId, Y.encodeStateAsUpdate(doc));
    expect(await store.logLength(projectId)).toBe(0);
    const compacted = new Y.Doc();
    Y.applyUpdate(compacted, (await other().load(projectId))!);
    expect(docToChain(compacted)).toEqual(docToChain(doc));
  });
});

describe("database lookups", () => {
  it("checks membership through the project's class", async () => {
    const check = prismaCheckMembership(db);
    expect(await check(teacherId, projectId)).toBe("editor");
    const listener = await createUser(db, { username: "guest", displayName: "G", passwordHash: "x" });
    const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
    await db.membership.create({ data: { userId: listener.id, classId: project.classId, role: "listener" } });
    expect(await check(listener.id, projectId)).toBe("viewer");
    expect(await check("nobody", projectId)).toBeNull();
    expect(await check(teacherId, "no-such-project")).toBeNull();
  });

  it("starts a room from the streaming preset, or null for no project", async () => {
    const initial = prismaInitialChain(db);
    expect(await initial(projectId)).toEqual(presetChain("streaming"));
    expect(await initial("no-such-project")).toBeNull();
  });
});
