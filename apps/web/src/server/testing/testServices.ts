// A real database (SQLite file or PostgreSQL), migrated, a blob store in a temp folder and the services
// the routers use — for router and route tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type DbProvider, LocalBlobStore, PrismaJobQueue } from "@comaster/db";
import { freshPostgres, freshSqlite, postgresReachable, runScript } from "@comaster/db/testing";
import { TRPCError } from "@trpc/server";
import { createAuth } from "../auth/auth";
import { SignInLimiter } from "../auth/signInLimiter";
import type { WebEnv } from "../env";
import { GainMeasurer } from "../preview/gainMeasurer";
import { createCliGainMeasurer, type MeasureGain } from "../preview/measureGainWithCli";
import type { RenderPayload, Services } from "../services";

export const TEST_ORIGIN = "http://comaster.test";

export interface TestServices extends Services {
  close(): Promise<void>;
}

export async function openTestServices(
  provider: DbProvider,
  env: Partial<WebEnv> = {},
  limiter = new SignInLimiter(),
  measure: MeasureGain = createCliGainMeasurer(),
): Promise<TestServices> {
  const tdb = provider === "sqlite" ? await freshSqlite() : await freshPostgres();
  await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
  const db = await createDb(tdb.url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comaster-web-"));
  const fullEnv: WebEnv = {
    databaseUrl: tdb.url,
    storageDir: path.join(dir, "storage"),
    tmpDir: path.join(dir, "incoming"),
    baseUrl: TEST_ORIGIN,
    trustedOrigins: [TEST_ORIGIN],
    authSecret: "test-secret-test-secret-test-secret-0123",
    collabSecret: "test-collab-secret-0123456789",
    collabPort: 3001,
    collabUrl: null,
    production: false,
    ...env,
  };
  const store = new LocalBlobStore(fullEnv.storageDir);
  const gains = new GainMeasurer({ db, measure });
  return {
    env: fullEnv,
    db,
    store,
    queue: new PrismaJobQueue<RenderPayload>(db, { provider }),
    auth: createAuth({ db, provider, env: fullEnv }),
    limiter,
    gains,
    async close() {
      gains.close();
      await db.$disconnect();
      await tdb.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The databases to run against: SQLite always; PostgreSQL when reachable (required under .ci/run). */
export async function testProviders(): Promise<{ provider: DbProvider; skip: boolean }[]> {
  const pgUp = await postgresReachable();
  if (!pgUp) {
    if (process.env.COMASTER_REQUIRE_SERVICES === "1") {
      throw new Error("PostgreSQL is not reachable and COMASTER_REQUIRE_SERVICES=1");
    }
    console.warn("⚠ PostgreSQL is not reachable on 127.0.0.1:5432: SKIPPING the web PostgreSQL tests");
  }
  return [
    { provider: "sqlite", skip: false },
    { provider: "postgresql", skip: !pgUp },
  ];
}

/** "OK" when `p` resolves, the tRPC error code when it rejects with one (anything else is rethrown). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}
