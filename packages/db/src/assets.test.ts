import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAsset, listAssets, type NewAsset } from "./assets";
import { createClass } from "./classes";
import { createDb, type Db } from "./client";
import { createProject } from "./projects";
import { freshPostgres, freshSqlite, postgresReachable, runScript, type TestDatabase } from "./test-databases";
import { createUser } from "./users";

const pgUp = await postgresReachable();
if (!pgUp && process.env.COMASTER_REQUIRE_SERVICES === "1") {
  throw new Error("PostgreSQL is not reachable and COMASTER_REQUIRE_SERVICES=1");
}

describe.each([
  { provider: "sqlite", fresh: freshSqlite, skip: false },
  { provider: "postgresql", fresh: freshPostgres, skip: !pgUp },
])("$provider", ({ fresh, skip }) => {
  let tdb: TestDatabase;
  let db: Db;
  let projectId: string;

  beforeAll(async () => {
    if (skip) return;
    tdb = await fresh();
    await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    db = await createDb(tdb.url);
    const teacher = await createUser(db, { username: "t", displayName: "T", passwordHash: "x" });
    const cls = await createClass(db, "Class", teacher.id);
    projectId = (await createProject(db, cls.id, "Song")).id;
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await db?.$disconnect();
    await tdb?.drop();
  });

  const asset = (over: Partial<NewAsset> = {}): NewAsset => ({
    projectId,
    contentHash: "ab".repeat(32),
    format: "wav",
    durationSeconds: 12.5,
    sampleRate: 48_000,
    channels: 2,
    analysis: { integratedLufs: -14.2, correlation: null },
    waveform: { bins: 2, min: [[-1, -0.5]], max: [[0.5, 1]] },
    storageKey: `sha256/ab/ab/${"ab".repeat(32)}`,
    byteSize: 2 ** 30,
    ...over,
  });

  it.skipIf(skip)("stores the analysis and waveform as JSON and lists a project's assets oldest first", async () => {
    const first = await createAsset(db, asset());
    const second = await createAsset(db, asset({ format: "flac", waveform: undefined }));
    expect(JSON.parse(first.analysisJson ?? "")).toEqual({ integratedLufs: -14.2, correlation: null });
    expect(JSON.parse(first.waveformJson ?? "")).toEqual({ bins: 2, min: [[-1, -0.5]], max: [[0.5, 1]] });
    expect(second.waveformJson).toBeNull();
    expect(first.byteSize).toBe(2 ** 30);

    const light = await listAssets(db, projectId);
    expect(light.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(light.every((a) => a.waveformJson === null)).toBe(true);
    const full = await listAssets(db, projectId, { withWaveform: true });
    expect(full[0]?.waveformJson).toBe(first.waveformJson);
    expect(await listAssets(db, "no-such-project")).toEqual([]);
  });

  it.skipIf(skip)("refuses a byte size the column cannot hold", async () => {
    expect(() => createAsset(db, asset({ byteSize: 2 ** 31 }))).toThrow(RangeError);
    expect(() => createAsset(db, asset({ byteSize: -1 }))).toThrow(RangeError);
  });
});
