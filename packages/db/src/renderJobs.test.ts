import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClass } from "./classes";
import { createDb, type Db } from "./client";
import { createProject } from "./projects";
import type { DbProvider } from "./provider";
import { defaultBackoffMs, PrismaJobQueue, type RenderJobRef } from "./renderJobs";
import { freshPostgres, freshSqlite, postgresReachable, runScript, type TestDatabase } from "./test-databases";
import { createUser } from "./users";

const pgUp = await postgresReachable();
if (!pgUp) {
  if (process.env.COMASTER_REQUIRE_SERVICES === "1") {
    throw new Error("PostgreSQL is not reachable and COMASTER_REQUIRE_SERVICES=1");
  }
  console.warn("⚠ PostgreSQL is not reachable on 127.0.0.1:5432: SKIPPING the PostgreSQL render queue tests");
}

const providers: { provider: DbProvider; fresh: () => Promise<TestDatabase>; skip: boolean }[] = [
  { provider: "sqlite", fresh: freshSqlite, skip: false },
  { provider: "postgresql", fresh: freshPostgres, skip: !pgUp },
];

interface Payload extends RenderJobRef {
  readonly note: string;
}

const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 30_000;

describe("defaultBackoffMs", () => {
  it("is exponential from 5 s, capped at 5 min", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(defaultBackoffMs)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
});

describe.each(providers)("PrismaJobQueue on $provider", ({ provider, fresh, skip }) => {
  let tdb: TestDatabase;
  let db: Db;
  let ref: RenderJobRef;

  beforeAll(async () => {
    if (skip) return;
    tdb = await fresh();
    await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    db = await createDb(tdb.url);
    const user = await createUser(db, { username: "queue-owner", displayName: "q", passwordHash: "x" });
    const cls = await createClass(db, "Render queue", user.id);
    const project = await createProject(db, cls.id, "p");
    const version = await db.version.create({
      data: { projectId: project.id, chainJson: "{}", label: "v1", authorId: user.id },
    });
    const asset = await db.asset.create({
      data: {
        projectId: project.id,
        contentHash: "h",
        format: "wav",
        durationSeconds: 1,
        sampleRate: 48_000,
        channels: 2,
        storageKey: "k",
        byteSize: 1,
      },
    });
    ref = { versionId: version.id, assetId: asset.id, format: "wav", targetLufs: -14 };
  }, 60_000);

  afterAll(async () => {
    if (skip) return;
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** An empty queue whose clock stands at T0 (tests share one database and run one after another). */
  const setup = async (maxAttempts = 3) => {
    await db.renderJob.deleteMany();
    const q = new PrismaJobQueue<Payload, { key: string }>(db, { provider, maxAttempts, clock: () => T0 });
    return { q, t: T0, later: at };
  };

  it.skipIf(skip)("enqueue → claim → complete, payload and result round-trip", async () => {
    const { q, later } = await setup();
    const job = await q.enqueue({ payload: { ...ref, note: "first" } });
    expect(job).toMatchObject({ status: "queued", attempts: 0, maxAttempts: 3, leaseOwner: null, result: null });
    expect(job.payload).toEqual({ ...ref, note: "first" });

    const claimed = await q.claim("w1", LEASE, later(1));
    expect(claimed).toMatchObject({ id: job.id, status: "running", attempts: 1, leaseOwner: "w1" });
    expect(claimed?.leaseUntil?.toISOString()).toBe(later(1 + LEASE).toISOString());
    expect(await q.claim("w2", LEASE, later(2))).toBeNull();

    expect(await q.heartbeat(job.id, "w1", LEASE, later(10), 0.5)).toBe(true);
    expect(await q.heartbeat(job.id, "w2", LEASE, later(10), 0.9)).toBe(false);
    expect((await q.get(job.id))?.progress).toBe(0.5);

    expect(await q.complete(job.id, "w2", { key: "nope" }, later(20))).toBe(false);
    expect(await q.complete(job.id, "w1", { key: "out.wav" }, later(20))).toBe(true);
    expect(await q.complete(job.id, "w1", { key: "out.wav" }, later(21))).toBe(true); // idempotent
    expect(await q.get(job.id)).toMatchObject({ status: "done", progress: 1, result: { key: "out.wav" } });
    expect(await q.claim("w2", LEASE, later(1e6))).toBeNull();
  });

  it.skipIf(skip)(
    "an expired lease is claimed by another worker; the first worker's late complete is refused",
    async () => {
      const { q, later } = await setup();
      const job = await q.enqueue({ payload: { ...ref, note: "lease" } });
      await q.claim("w1", LEASE, later(0));
      // Not expired yet (leaseUntil < now is required).
      expect(await q.claim("w2", LEASE, later(LEASE))).toBeNull();
      const stolen = await q.claim("w2", LEASE, later(LEASE + 1));
      expect(stolen).toMatchObject({ id: job.id, leaseOwner: "w2", attempts: 2 });
      expect(await q.complete(job.id, "w1", { key: "late" }, later(LEASE + 2))).toBe(false);
      expect(await q.heartbeat(job.id, "w1", LEASE, later(LEASE + 2), 0.3)).toBe(false);
      expect(await q.fail(job.id, "w1", "late", later(LEASE + 2))).toBe(false);
      expect(await q.release(job.id, "w1", later(LEASE + 2))).toBe(false);
      expect(await q.complete(job.id, "w2", { key: "ok" }, later(LEASE + 3))).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ status: "done", leaseOwner: "w2", result: { key: "ok" } });
    },
  );

  it.skipIf(skip)("a job whose worker died on its last attempt is failed with a readable error", async () => {
    const { q, later } = await setup(1);
    const job = await q.enqueue({ payload: { ...ref, note: "dies" } });
    await q.claim("w1", LEASE, later(0));
    expect(await q.claim("w2", LEASE, later(LEASE + 1))).toBeNull();
    const failed = await q.get(job.id);
    expect(failed).toMatchObject({ status: "failed", leaseOwner: null, attempts: 1 });
    expect(failed?.error).toMatch(/stopped responding \(1 attempt\)/);
  });

  it.skipIf(skip)("fail backs off, then fails for good after maxAttempts with the error text", async () => {
    const { q, later } = await setup(3);
    const job = await q.enqueue({ payload: { ...ref, note: "flaky" } });
    let now = later(0);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await q.claim("w1", LEASE, now);
      expect(claimed).toMatchObject({ id: job.id, attempts: attempt });
      expect(await q.fail(job.id, "w1", `decode error ${attempt}`, now)).toBe(true);
      const after = await q.get(job.id);
      if (attempt < 3) {
        const delay = defaultBackoffMs(attempt);
        expect(after).toMatchObject({ status: "queued", leaseOwner: null, error: `decode error ${attempt}` });
        expect(after?.runAfter.toISOString()).toBe(new Date(now.getTime() + delay).toISOString());
        expect(await q.claim("w1", LEASE, new Date(now.getTime() + delay - 1))).toBeNull();
        now = new Date(now.getTime() + delay);
      } else {
        expect(after).toMatchObject({ status: "failed", attempts: 3, error: "decode error 3" });
      }
    }
    expect(await q.claim("w1", LEASE, later(1e8))).toBeNull();
  });

  it.skipIf(skip)("a permanent failure fails at once", async () => {
    const { q, later } = await setup(3);
    const job = await q.enqueue({ payload: { ...ref, note: "bad chain" } });
    await q.claim("w1", LEASE, later(0));
    expect(await q.fail(job.id, "w1", "bad chain", later(1), { permanent: true })).toBe(true);
    expect(await q.get(job.id)).toMatchObject({ status: "failed", attempts: 1, error: "bad chain" });
  });

  it.skipIf(skip)("release returns the job to queued without counting the attempt", async () => {
    const { q, later } = await setup();
    const job = await q.enqueue({ payload: { ...ref, note: "sigterm" } });
    await q.claim("w1", LEASE, later(0));
    await q.heartbeat(job.id, "w1", LEASE, later(5), 0.4);
    expect(await q.release(job.id, "w1", later(10))).toBe(true);
    expect(await q.get(job.id)).toMatchObject({ status: "queued", attempts: 0, leaseOwner: null, progress: 0 });
    expect(await q.claim("w2", LEASE, later(10))).toMatchObject({ id: job.id, attempts: 1, leaseOwner: "w2" });
  });

  it.skipIf(skip)("claims the oldest job first", async () => {
    const { q, later } = await setup();
    const a = await q.enqueue({ payload: { ...ref, note: "a" } });
    await db.renderJob.update({ where: { id: a.id }, data: { createdAt: later(5) } });
    const b = await q.enqueue({ payload: { ...ref, note: "b" } });
    await db.renderJob.update({ where: { id: b.id }, data: { createdAt: later(1) } });
    expect((await q.claim("w", LEASE, later(10)))?.id).toBe(b.id);
    expect((await q.claim("w", LEASE, later(10)))?.id).toBe(a.id);
    expect(await q.claim("w", LEASE, later(10))).toBeNull();
  });

  it.skipIf(skip)(
    "3 clients claiming 30 jobs in parallel take every job exactly once",
    async () => {
      const { q, t } = await setup();
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add((await q.enqueue({ payload: { ...ref, note: `job ${i}` } })).id);
      const now = new Date(t.getTime() + 1);
      const clients = await Promise.all([1, 2, 3].map(() => createDb(tdb.url)));
      try {
        const claims = await Promise.all(
          clients.map(async (client, w) => {
            const mine = new PrismaJobQueue<Payload>(client, { provider });
            const got: string[] = [];
            for (;;) {
              const job = await mine.claim(`w${w}`, 10 * 60_000, now);
              if (!job) return got;
              got.push(job.id);
            }
          }),
        );
        const all = claims.flat();
        expect(all).toHaveLength(30);
        expect(new Set(all)).toEqual(ids);
        // Work was spread: more than one client claimed something.
        expect(claims.filter((c) => c.length > 0).length).toBeGreaterThan(1);
      } finally {
        await Promise.all(clients.map((c) => c.$disconnect()));
      }
    },
    60_000,
  );
});
