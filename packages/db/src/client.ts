import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaLibSqlOneConnection } from "./libsqlOneConnection";
import { providerFromUrl } from "./provider";
import { retryWhileBusy, SQLITE_BUSY_TIMEOUT_MS } from "./sqliteBusy";

/**
 * The Prisma client, whichever database backs it. Both generated clients come from one source schema
 * and have the same model API; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;

/**
 * Opens the database that `url` names: `file:` → SQLite (WAL journal), `postgres://` → PostgreSQL.
 * The schema must already be migrated (`pnpm db:migrate`). Close with `db.$disconnect()`.
 */
export async function createDb(url: string): Promise<Db> {
  if (providerFromUrl(url) === "postgresql") {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  // One connection for the client's life, transactions included (`PrismaLibSqlOneConnection`: stock
  // libsql opened a new one after each transaction and leaked the old). `timeout` is SQLite's busy
  // timeout on it from the moment it opens — wait for another process's lock instead of failing; it
  // must be in force before the switch into WAL below (without it, web, collaboration server and worker
  // opening a fresh file together failed that switch: the worker died at start), and a one-off
  // `PRAGMA busy_timeout` missed the connections opened after transactions (a write there failed at
  // once, "Operation has timed out", whenever the collaboration server was appending).
  const db = new SqliteClient({ adapter: new PrismaLibSqlOneConnection({ url, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
  await db.$connect();
  // WAL lets readers proceed while a writer commits (web + several worker processes on one file).
  await retryWhileBusy(() => db.$queryRawUnsafe("PRAGMA journal_mode=WAL"));
  // In WAL, NORMAL syncs at checkpoints instead of every commit: a committed transaction survives a
  // crash or kill -9 of any process (it is in the WAL file); only a power cut can lose the last few.
  await db.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
  return db;
}
