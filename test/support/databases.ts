// Throwaway databases for cross-package tests: a SQLite file in a folder, or a PostgreSQL database
// created on the test server (trust auth; COMASTER_TEST_PG_URL overrides) and dropped afterwards.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createDb, type DbProvider } from "@comaster/db";

/** Server-level URL of the test PostgreSQL, as packages/db's own tests use it. */
export const pgAdminUrl = process.env.COMASTER_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const db = await createDb(pgAdminUrl);
  try {
    await db.$executeRawUnsafe(sql);
  } finally {
    await db.$disconnect();
  }
}

/** True if the test PostgreSQL answers within `timeoutMs`. */
export async function postgresReachable(timeoutMs = 3_000): Promise<boolean> {
  const db = await createDb(pgAdminUrl);
  try {
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return await Promise.race([db.$queryRawUnsafe("select 1").then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    await db.$disconnect().catch(() => {});
  }
}

/** A new, empty database: a file under `dir` (SQLite) or `comaster_test_<random>` (PostgreSQL). */
export async function freshDatabase(provider: DbProvider, dir: string): Promise<TestDatabase> {
  if (provider === "sqlite") {
    return { url: `file:${join(dir, `test-${randomBytes(4).toString("hex")}.db`)}`, drop: async () => {} };
  }
  const name = `comaster_test_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
