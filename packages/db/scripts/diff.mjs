// `pnpm db:diff NAME`: write prisma/migrations/<provider>/<timestamp>_NAME/migration.sql for each
// provider, with the SQL that takes the last migrated schema (schema.prisma kept beside the
// migrations) to the current source schema. Writes nothing when the schema is unchanged.
// The PostgreSQL engine connects to a server even to diff two schema files (it reads nothing and
// changes nothing there): DATABASE_URL when it is a postgres:// URL, else COMASTER_DIFF_PG_URL,
// else postgres://postgres@127.0.0.1:5432/postgres.
import fs from "node:fs";
import path from "node:path";
import { noFilters, openEngine, PROVIDERS, schemaVariant, snapshotPath, writeMigration } from "./schema-engine.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error("usage: pnpm db:diff NAME   (NAME: letters, digits, underscores)");
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const folder = `${stamp}_${name}`;

const pgUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")
  ? process.env.DATABASE_URL
  : (process.env.COMASTER_DIFF_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");

// Diff every provider first, then write: a failure leaves no half-written migration.
const pending = [];
for (const provider of PROVIDERS) {
  const { engine, schemaPath } = await openEngine(provider, provider === "postgresql" ? pgUrl : undefined);
  const current = schemaVariant(provider);
  const snapshot = snapshotPath(provider);
  const from = fs.existsSync(snapshot)
    ? { tag: "schemaDatamodel", files: [{ path: schemaPath, content: fs.readFileSync(snapshot, "utf8") }] }
    : { tag: "empty" };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: current }] },
    script: true,
    exitCode: true,
    filters: noFilters,
  });
  engine.free();
  // exitCode 2: the schemas differ; 0: nothing to migrate.
  if (result.exitCode !== 2) {
    console.log(`${provider}: schema unchanged, no migration written`);
    continue;
  }
  pending.push({ provider, sql: result.stdout, current, snapshot });
}
for (const { provider, sql, current, snapshot } of pending) {
  writeMigration(provider, folder, sql, current);
  console.log(`${provider}: wrote ${path.relative(process.cwd(), path.join(path.dirname(snapshot), folder))}`);
}
if (pending.length === 0) console.log("no changes");
process.exit(0);
