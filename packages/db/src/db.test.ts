import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClass, joinClass } from "./classes";
import { createDb, type Db } from "./client";
import { DbError, isUniqueViolation } from "./errors";
import {
  claimedElsewhere,
  claimLoudnessGain,
  findLoudnessGain,
  releaseLoudnessGainClaim,
  renewLoudnessGainClaim,
  saveLoudnessGain,
} from "./loudnessGains";
import { createProject, deleteProject } from "./projects";
import type { DbProvider } from "./provider";
import { createShareLink } from "./share-links";
import { freshPostgres, freshSqlite, postgresReachable, runScript, type TestDatabase } from "./test-databases";
import { createUser } from "./users";

const pgUp = await postgresReachable();
if (!pgUp) {
  if (process.env.COMASTER_REQUIRE_SERVICES === "1") {
    throw new Error("PostgreSQL is not reachable and COMASTER_REQUIRE_SERVICES=1");
  }
  console.warn("⚠ PostgreSQL is not reachable on 127.0.0.1:5432: SKIPPING the PostgreSQL database tests");
}

const providers: { provider: DbProvider; fresh: () => Promise<TestDatabase>; skip: boolean }[] = [
  { provider: "sqlite", fresh: freshSqlite, skip: false },
  { provider: "postgresql", fresh: freshPostgres, skip: !pgUp },
];

let n = 0;
const unique = (s: string) => `${s}-${++n}`;

describe.each(providers)("$provider", ({ provider, fresh, skip }) => {
  let tdb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    if (skip) return;
    tdb = await fresh();
    await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    db = await createDb(tdb.url);
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await db?.$disconnect();
    await tdb?.drop();
  });

  const user = (name = "u") => createUser(db, { username: unique(name), displayName: name, passwordHash: "x" });

  it.skipIf(skip)("migrate applied every migration once and a second run is a no-op", async () => {
    const again = await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    expect(again).toContain("database is up to date");
    const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations"`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.migration_name)).size).toBe(rows.length);
  });

  if (provider === "sqlite") {
    it("SQLite runs in WAL mode", async () => {
      const [row] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(row?.journal_mode).toBe("wal");
    });
  }

  it.skipIf(skip)("a student cannot be in a class twice", async () => {
    const teacher = await user("teacher");
    const student = await user("student");
    const cls = await createClass(db, "Mastering 101", teacher.id);
    expect(cls.inviteCode).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await joinClass(db, cls.inviteCode, student.id);
    await expect(joinClass(db, cls.inviteCode, student.id)).rejects.toMatchObject({ code: "ALREADY_MEMBER" });
    // The database itself enforces it, not only joinClass.
    const raw = await db.membership.create({ data: { userId: student.id, classId: cls.id, role: "student" } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(raw)).toBe(true);
    expect(await db.membership.count({ where: { classId: cls.id } })).toBe(2);
    await expect(joinClass(db, "no-such-code", student.id)).rejects.toBeInstanceOf(DbError);
  });

  it.skipIf(skip)("a share token is unique", async () => {
    const { exportRow } = await projectWithExport(db, await user());
    const a = await createShareLink(db, exportRow.id);
    const b = await createShareLink(db, exportRow.id);
    expect(a.token).not.toBe(b.token);
    expect(a.token.length).toBeGreaterThanOrEqual(32);
    const dup = await db.shareLink.create({ data: { exportId: exportRow.id, token: a.token } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(dup)).toBe(true);
  });

  it.skipIf(skip)(
    "a loudness gain is stored once per asset and chain; a second save returns the first row",
    async () => {
      const { project, asset } = await projectWithAsset(db, await user());
      expect(await findLoudnessGain(db, asset.id, "k1")).toBeNull();
      const row = {
        assetId: asset.id,
        chainKey: "k1",
        gainDb: 3.25,
        targetLufs: -14,
        integratedLufs: -14.02,
        passes: 2,
      };
      expect(await saveLoudnessGain(db, row)).toEqual(row);
      // Another process measured the same thing first: its row stands.
      expect(await saveLoudnessGain(db, { ...row, gainDb: 9 })).toEqual(row);
      const none = { ...row, chainKey: "k2", gainDb: null, targetLufs: null };
      expect(await saveLoudnessGain(db, none)).toEqual(none);
      expect(await findLoudnessGain(db, asset.id, "k1")).toEqual(row);
      await expect(saveLoudnessGain(db, { ...row, assetId: "no-such-asset" })).rejects.toThrow();
      await deleteProject(db, project.id);
      expect(await db.loudnessGain.count({ where: { assetId: asset.id } })).toBe(0);
    },
  );

  it.skipIf(skip)(
    "a measurement claim: one holder at a time, renewed by its holder, taken over once expired, released",
    async () => {
      const { project, asset } = await projectWithAsset(db, await user());
      const a = { assetId: asset.id, chainKey: "k1", owner: "web-a" };
      const b = { ...a, owner: "web-b" };
      const t0 = new Date(Date.UTC(2026, 0, 1));
      const at = (ms: number) => new Date(t0.getTime() + ms);
      expect(await claimedElsewhere(db, asset.id, "k1", "web-b", t0)).toBe(false);
      // Both processes ask at once: exactly one wins.
      const [wonA, wonB] = await Promise.all([claimLoudnessGain(db, a, t0, 1000), claimLoudnessGain(db, b, t0, 1000)]);
      expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
      const [holder, other] = wonA ? [a, b] : [b, a];
      expect(await claimedElsewhere(db, asset.id, "k1", other.owner, at(500))).toBe(true);
      expect(await claimedElsewhere(db, asset.id, "k1", holder.owner, at(500))).toBe(false);
      expect(await claimLoudnessGain(db, other, at(500), 1000)).toBe(false);
      expect(await claimLoudnessGain(db, holder, at(500), 1000)).toBe(true); // its own again
      expect(await renewLoudnessGainClaim(db, holder, at(1200), 1000)).toBe(true); // now until 2200
      expect(await claimLoudnessGain(db, other, at(2000), 1000)).toBe(false);
      // The holder stopped renewing (its process died): the claim expires and the other takes it.
      expect(await claimedElsewhere(db, asset.id, "k1", other.owner, at(2300))).toBe(false);
      expect(await claimLoudnessGain(db, other, at(2300), 1000)).toBe(true);
      expect(await renewLoudnessGainClaim(db, holder, at(2400), 1000)).toBe(false);
      // A late release by the old holder leaves the new claim.
      await releaseLoudnessGainClaim(db, holder);
      expect(await claimedElsewhere(db, asset.id, "k1", holder.owner, at(2400))).toBe(true);
      await releaseLoudnessGainClaim(db, other);
      expect(await claimedElsewhere(db, asset.id, "k1", holder.owner, at(2400))).toBe(false);
      await claimLoudnessGain(db, a, at(3000), 1000);
      await deleteProject(db, project.id);
      expect(await db.loudnessGainClaim.count({ where: { assetId: asset.id } })).toBe(0);
    },
  );

  it.skipIf(skip)("deleting a project removes its rows and reports only unreferenced files", async () => {
    const author = await user();
    const { project, exportRow, cls } = await projectWithExport(db, author, "shared-asset-key");
    await createShareLink(db, exportRow.id);
    // Another project in the class uses the same content-addressed asset file.
    const other = await createProject(db, cls.id, "other");
    await db.asset.create({ data: { ...assetData("shared-asset-key"), projectId: other.id } });

    const { orphanedStorageKeys } = await deleteProject(db, project.id);
    expect(orphanedStorageKeys).toEqual([`export-${exportRow.jobId}`]);
    const where = { project: { id: project.id } };
    expect(await db.project.count({ where: { id: project.id } })).toBe(0);
    expect(await db.asset.count({ where })).toBe(0);
    expect(await db.version.count({ where })).toBe(0);
    expect(await db.chainDoc.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db.renderJob.count({ where: { id: exportRow.jobId } })).toBe(0);
    expect(await db.export.count({ where: { id: exportRow.id } })).toBe(0);
    expect(await db.shareLink.count({ where: { exportId: exportRow.id } })).toBe(0);
    expect(await db.comment.count({ where: { authorId: author.id } })).toBe(0);
    // Rows of other projects and the users stay.
    expect(await db.asset.count({ where: { projectId: other.id } })).toBe(1);
    expect(await db.user.count({ where: { id: author.id } })).toBe(1);
  });
});

function assetData(storageKey: string) {
  return {
    contentHash: storageKey,
    format: "wav",
    durationSeconds: 10,
    sampleRate: 48_000,
    channels: 2,
    storageKey,
    byteSize: 1_920_000,
  };
}

/** A class of `author`'s with a project holding one mix. */
async function projectWithAsset(db: Db, author: { id: string }, assetKey = unique("asset")) {
  const cls = await createClass(db, "class", author.id);
  const project = await createProject(db, cls.id, "song");
  const asset = await db.asset.create({ data: { ...assetData(assetKey), projectId: project.id } });
  return { cls, project, asset };
}

/** A class with a project holding one of every row type down to an export. */
async function projectWithExport(db: Db, author: { id: string }, assetKey = unique("asset")) {
  const { cls, project, asset } = await projectWithAsset(db, author, assetKey);
  await db.chainDoc.create({ data: { projectId: project.id, yjsState: new Uint8Array([1, 2, 3]) } });
  const v1 = await db.version.create({
    data: { projectId: project.id, chainJson: "[]", label: "v1", authorId: author.id },
  });
  const v2 = await db.version.create({
    data: { projectId: project.id, chainJson: "[]", label: "v2", authorId: author.id, parentId: v1.id },
  });
  const comment = await db.comment.create({
    data: { versionId: v2.id, authorId: author.id, atSeconds: 1.5, endSeconds: 3, text: "too loud" },
  });
  await db.comment.create({
    data: { versionId: v2.id, authorId: author.id, atSeconds: 1.5, text: "agreed", parentId: comment.id },
  });
  const job = await db.renderJob.create({
    data: { versionId: v2.id, assetId: asset.id, format: "wav", targetLufs: -14, status: "done", progress: 100 },
  });
  const exportRow = await db.export.create({
    data: {
      jobId: job.id,
      storageKey: `export-${job.id}`,
      contentHash: `export-${job.id}`,
      byteSize: 100,
      format: "wav",
      integratedLufs: -14,
      truePeakDbtp: -1,
    },
  });
  return { cls, project, exportRow };
}
