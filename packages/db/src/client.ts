import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { providerFromUrl } from "./provider";

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
  const db = new SqliteClient({ adapter: new PrismaLibSql({ url }) });
  await db.$connect();
  // WAL lets readers proceed while a writer commits (web + several worker processes on one file).
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await db.$executeRawUnsafe("PRAGMA busy_timeout=5000");
  // In WAL, NORMAL syncs at checkpoints instead of every commit: a committed transaction survives a
  // crash or kill -9 of any process (it is in the WAL file); only a power cut can lose the last few.
  // That is SQLite's advice for WAL, and it keeps one collaboration update's append under a millisecond.
  await db.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
  return db;
}
