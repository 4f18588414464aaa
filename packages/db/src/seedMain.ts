// `pnpm db:seed` entry (bundled to dist/seed.mjs by scripts/seed-build.mjs): env, dependencies, run.
// DATABASE_URL defaults to file:<repo>/.data/comaster.db, COMASTER_STORAGE_DIR to <repo>/.data/storage.
// Applies pending migrations first, so a fresh checkout needs only this one command.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createDb } from "./client";
import { providerFromUrl } from "./provider";
import { seedDemo } from "./seed";
import { LocalBlobStore } from "./storage/localBlobStore";

// Both src/seedMain.ts and dist/seed.mjs sit two folders below packages/db, three below the repo.
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");
const url = process.env.DATABASE_URL || `file:${path.join(repoRoot, ".data", "comaster.db")}`;
const storageDir = path.resolve(repoRoot, process.env.COMASTER_STORAGE_DIR || path.join(".data", "storage"));

if (providerFromUrl(url) === "sqlite") mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
// Not bundled: the migration script locates the schema engine and migrations relative to itself.
const migrateScript = pathToFileURL(path.resolve(here, "../scripts/migrate.mjs")).href;
const { migrate } = (await import(migrateScript)) as { migrate(url: string): Promise<string[]> };
const applied = await migrate(url);
if (applied.length) console.log(`applied migrations: ${applied.join(", ")}`);

const db = await createDb(url);
try {
  const result = await seedDemo({ db, blobs: new LocalBlobStore(storageDir), log: (line) => console.log(line) });
  console.log(result.created.length ? "demo data seeded" : "demo data already present");
  console.log(`storage: ${storageDir}`);
  console.log("log in as teacher / teacher-demo, student1 / student-demo or student2 / student-demo");
} finally {
  await db.$disconnect();
}
// The migration engine keeps its adapter's pool open; a CLI run ends here.
process.exit(0);
