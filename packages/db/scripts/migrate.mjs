// `pnpm db:migrate`: apply every migration of the provider that DATABASE_URL selects
// (file: → SQLite, postgres:// → PostgreSQL). Deploy only (never `db push`): records each migration
// in `_prisma_migrations` and skips those already applied, so running it again is a no-op.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { noFilters, openEngine, providerFromUrl, readMigrations } from "./schema-engine.mjs";

/** Applies pending migrations; returns the names just applied. */
export async function migrate(url) {
  const provider = providerFromUrl(url);
  const migrationsList = readMigrations(provider);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error(`no migrations in ${migrationsList.baseDir}; run pnpm db:diff NAME first`);
  }
  const { engine } = await openEngine(provider, url);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set (file:./.data/comaster.db or postgres://…)");
    process.exit(2);
  }
  const applied = await migrate(url);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  // The engine keeps its adapter's pool open after free(); a CLI run ends here.
  process.exit(0);
}
