/**
 * Prisma's libsql adapter with every transaction on the client's one connection.
 *
 * libsql's client hands its connection to a transaction and opens a new one for what comes after.
 * The one handed over is never closed: its two file descriptors (the database and its WAL) stay open
 * until garbage collection, which native handles do not prompt — 6000 descriptors after 3000
 * transactions, so a web process reading the live chain (a transaction) a few times a second ran out
 * of descriptors within hours. And the new connection lacked what had been set on the first.
 *
 * The adapter runs nothing else on the client while a transaction is open (it holds its lock from
 * BEGIN to COMMIT or ROLLBACK), so the transaction can run on the client's own connection.
 */
import { PrismaLibSql } from "@prisma/adapter-libsql";

type Client = ReturnType<PrismaLibSql["createClient"]>;
type Config = Parameters<PrismaLibSql["createClient"]>[0];
type Transaction = Awaited<ReturnType<Client["transaction"]>>;
/** libsql's transaction modes (`@libsql/client` TransactionMode). */
type TransactionMode = "write" | "read" | "deferred";

export class PrismaLibSqlOneConnection extends PrismaLibSql {
  override createClient(config: Config): Client {
    const client = super.createClient(config);
    client.transaction = async (mode?: TransactionMode) => {
      await client.execute(mode === "write" ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
      return new OneConnectionTransaction(client);
    };
    return client;
  }
}

/** A transaction on its client's connection; it ends with commit, rollback or close. */
class OneConnectionTransaction implements Transaction {
  readonly #client: Client;
  #ended = false;

  constructor(client: Client) {
    this.#client = client;
  }

  get closed(): boolean {
    return this.#ended;
  }

  execute(...args: Parameters<Transaction["execute"]>): ReturnType<Transaction["execute"]> {
    this.#checkOpen();
    return (this.#client.execute as (...a: unknown[]) => ReturnType<Transaction["execute"]>)(...args);
  }

  async batch(statements: Parameters<Transaction["batch"]>[0]): ReturnType<Transaction["batch"]> {
    const results = [];
    for (const s of statements) {
      results.push(await this.execute(Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
    }
    return results;
  }

  async executeMultiple(): Promise<void> {
    throw new Error("executeMultiple is not supported inside a transaction");
  }

  async commit(): Promise<void> {
    this.#checkOpen();
    try {
      await this.#client.execute("COMMIT");
      this.#ended = true;
    } catch (err) {
      // A failed COMMIT (SQLITE_BUSY) leaves the transaction open: end it, so the connection does
      // not carry it into the next query.
      await this.rollback();
      throw err;
    }
  }

  async rollback(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    try {
      await this.#client.execute("ROLLBACK");
    } catch {
      // SQLite may have rolled it back already (after some errors it does): nothing is left open.
    }
  }

  close(): void {
    void this.rollback();
  }

  #checkOpen(): void {
    if (this.#ended) throw new Error("The transaction is closed");
  }
}
