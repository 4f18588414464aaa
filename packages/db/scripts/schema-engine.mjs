// Shared by migrate.mjs, diff.mjs and generate.mjs: the per-provider schema variants, the
// migrations folders, and Prisma's schema engine (WebAssembly) driven through a driver adapter.
// Prisma's CLI cannot migrate on this machine (it downloads a native engine); see TOOLCHAIN.md.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const PROVIDERS = /** @type {const} */ (["sqlite", "postgresql"]);

/** The repo's prisma/ folder; COMASTER_PRISMA_DIR points the tools at a copy (tests). */
export function prismaDir() {
  return path.resolve(process.env.COMASTER_PRISMA_DIR ?? path.join(here, "../../../prisma"));
}

export function migrationsDir(provider) {
  return path.join(prismaDir(), "migrations", provider);
}

/** The schema last turned into a migration, kept beside the migrations (the base of the next diff). */
export function snapshotPath(provider) {
  return path.join(migrationsDir(provider), "schema.prisma");
}

/** `file:` → SQLite, `postgres://` → PostgreSQL; anything else is an error. */
export function providerFromUrl(url) {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${url.split(":", 1)[0]}:"`,
  );
}

/** The source schema with its provider (and generator output) set for one provider. */
export function schemaVariant(provider, output = `./${provider}`) {
  const source = fs.readFileSync(path.join(prismaDir(), "schema.prisma"), "utf8");
  const withProvider = source.replace(
    /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"[^"]*"/,
    (_m, head) => `${head}"${provider}"`,
  );
  if (withProvider === source && provider !== "sqlite") throw new Error("schema.prisma: no datasource provider line");
  return withProvider.replace('"__OUTPUT__"', JSON.stringify(output));
}

const lockContent = (provider) =>
  `# Written by packages/db/scripts/diff.mjs; one migrations folder per provider.\nprovider = "${provider}"\n`;

/** The migrations folder of one provider, as the engine's MigrationList. */
export function readMigrations(provider) {
  const baseDir = migrationsDir(provider);
  const names = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(baseDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    shadowDbInitScript: "",
    lockfile: { path: "migration_lock.toml", content: lockContent(provider) },
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: fs.readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

export function writeMigration(provider, name, sql, schemaText) {
  const dir = path.join(migrationsDir(provider), name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  fs.writeFileSync(path.join(migrationsDir(provider), "migration_lock.toml"), lockContent(provider));
  fs.writeFileSync(snapshotPath(provider), schemaText);
}

/** A driver adapter factory for a URL; for diffing alone SQLite uses an in-memory database. */
async function adapterFactory(provider, url) {
  if (provider === "sqlite") {
    const { PrismaLibSql } = await import("@prisma/adapter-libsql");
    return withScripts(new PrismaLibSql({ url: url ?? ":memory:" }));
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  return new PrismaPg({ connectionString: url });
}

/**
 * libsql's executeRaw runs a single statement; the engine sends whole migration scripts through it
 * on SQLite. Route multi-statement SQL through executeScript instead.
 */
function withScripts(factory) {
  const wrapQueryable = (q) =>
    new Proxy(q, {
      get(target, prop, receiver) {
        if (prop === "executeRaw") {
          return (query) =>
            query.args.length === 0 && /;\s*\S/.test(query.sql)
              ? target.executeScript(query.sql).then(() => 0)
              : target.executeRaw(query);
        }
        if (prop === "startTransaction") {
          return async (...a) => wrapQueryable(await target.startTransaction(...a));
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === "connect" || prop === "connectToShadowDb") {
        return async (...a) => wrapQueryable(await target[prop](...a));
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

let bgModule;
async function loadWasm() {
  if (bgModule) return bgModule;
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(
    path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
    "schema_engine_bg.wasm",
  );
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  bgModule = bg;
  return bg;
}

export const noFilters = { externalTables: [], externalEnums: [] };

/** A schema engine for one provider; `url` is needed only to touch a database (migrate). */
export async function openEngine(provider, url) {
  const bg = await loadWasm();
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const adapter = bindMigrationAwareSqlAdapterFactory(await adapterFactory(provider, url));
  const schemaPath = path.join(prismaDir(), `schema.${provider}.prisma`);
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schemaVariant(provider)]] }, () => {}, adapter);
  return { engine, adapter, schemaPath };
}
