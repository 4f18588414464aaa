import { decodeAudio } from "@comaster/codecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./client";
import { createDb } from "./client";
import { verifyPassword } from "./passwords";
import { DEMO, seedDemo } from "./seed";
import { MemoryBlobStore } from "./storage/memoryBlobStore";
import { freshSqlite, runScript, type TestDatabase } from "./test-databases";
import { credentialHash } from "./users";

async function readAll(blobs: MemoryBlobStore, key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of blobs.get(key)) chunks.push(c);
  return Buffer.concat(chunks);
}

const counts = (db: Db) =>
  Promise.all([
    db.user.count(),
    db.class.count(),
    db.membership.count(),
    db.project.count(),
    db.asset.count(),
    db.version.count(),
  ]);

describe("seedDemo", () => {
  let tdb: TestDatabase;
  let db: Db;
  const blobs = new MemoryBlobStore();

  beforeAll(async () => {
    tdb = await freshSqlite();
    await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    db = await createDb(tdb.url);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("creates the users, class, memberships, project, asset and version", async () => {
    const r = await seedDemo({ db, blobs });
    expect(await counts(db)).toEqual([3, 1, 3, 1, 1, 1]);

    const cls = await db.class.findUniqueOrThrow({ where: { id: r.classId }, include: { memberships: true } });
    expect(cls.name).toBe(DEMO.className);
    const roles = Object.fromEntries(cls.memberships.map((m) => [m.userId, m.role]));
    expect(roles).toEqual({ [r.teacherId]: "teacher", [r.studentIds[0]!]: "student", [r.studentIds[1]!]: "student" });

    const project = await db.project.findUniqueOrThrow({ where: { id: r.projectId } });
    expect(project).toMatchObject({ name: DEMO.projectName, classId: r.classId });

    const asset = await db.asset.findUniqueOrThrow({ where: { id: r.assetId } });
    expect(asset).toMatchObject({ projectId: r.projectId, format: "wav", sampleRate: 44_100, channels: 2 });
    expect(asset.durationSeconds).toBeCloseTo(30, 6);
    const analysis = JSON.parse(asset.analysisJson!);
    expect(analysis.integratedLufs).toBeGreaterThan(-40);
    expect(analysis.samplePeakDbfs).toBeLessThan(-1);

    const version = await db.version.findUniqueOrThrow({ where: { id: r.versionId } });
    expect(version).toMatchObject({ projectId: r.projectId, authorId: r.teacherId });
    expect(JSON.parse(version.chainJson).modules.length).toBeGreaterThan(0);
  }, 60_000);

  it("is idempotent: a second run creates nothing", async () => {
    const before = await counts(db);
    const again = await seedDemo({ db, blobs });
    expect(again.created).toEqual([]);
    expect(await counts(db)).toEqual(before);
  }, 60_000);

  it("stores verifiable password hashes", async () => {
    const teacherUser = await db.user.findUniqueOrThrow({ where: { username: "teacher" } });
    const studentUser = await db.user.findUniqueOrThrow({ where: { username: "student2" } });
    const teacher = (await credentialHash(db, teacherUser.id)) ?? "";
    const student = (await credentialHash(db, studentUser.id)) ?? "";
    expect(teacher).not.toContain("teacher-demo");
    expect(await verifyPassword("teacher-demo", teacher)).toBe(true);
    expect(await verifyPassword("student-demo", student)).toBe(true);
    expect(await verifyPassword("student-demo", teacher)).toBe(false);
    expect(await verifyPassword("teacher-demo ", teacher)).toBe(false);
    expect(await verifyPassword("teacher-demo", "not-a-hash")).toBe(false);
  });

  it("stores a blob that decodes as 30 s of 44.1 kHz stereo 24-bit audio", async () => {
    const asset = await db.asset.findFirstOrThrow();
    const bytes = await readAll(blobs, asset.storageKey);
    expect(bytes.byteLength).toBe(asset.byteSize);
    const audio = await decodeAudio(bytes);
    expect(audio).toMatchObject({ format: "wav", sampleRate: 44_100, bitsPerSample: 24 });
    expect(audio.channelData).toHaveLength(2);
    expect(audio.channelData[0]!.length).toBe(30 * 44_100);
  });

  it("restores the mix under the same key when storage was wiped", async () => {
    const asset = await db.asset.findFirstOrThrow();
    await blobs.delete(asset.storageKey);
    const r = await seedDemo({ db, blobs });
    expect(r.assetId).toBe(asset.id);
    expect(await blobs.has(asset.storageKey)).toBe(true);
    expect(await db.asset.count()).toBe(1);
  }, 60_000);
});
