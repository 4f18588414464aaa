// Test helpers (exported as `@comaster/db/testing` for other packages' tests, never from the package root): throwaway SQLite files and PostgreSQL databases,
// and the db scripts run as the CLI runs them.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
export const scriptsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../scripts");

/** Server-level URL of the test PostgreSQL (trust auth); COMASTER_TEST_PG_URL overrides. */
export const pgAdminUrl = process.env.COMASTER_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshSqlite(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comaster-db-"));
  return {
    url: `file:${path.join(dir, "test.db")}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function freshPostgres(): Promise<TestDatabase> {
  const name = `comaster_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** Runs packages/db/scripts/<script> with node, as `pnpm db:*` does; returns stdout. */
export async function runScript(script: string, args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(scriptsDir, script), ...args], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return stdout;
}
