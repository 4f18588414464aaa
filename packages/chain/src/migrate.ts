/**
 * Schema versions of the chain document and the steps that upgrade an older document to the
 * current one. A stored chain (a version snapshot, a job in the queue) may be older than the code
 * reading it; it is migrated before it is validated.
 *
 * To add version 2: bump `CURRENT_SCHEMA_VERSION`, change the schema, and append
 * `{ from: 1, to: 2, description, up }` to `CHAIN_MIGRATIONS`. `up` receives a v1 document that has
 * NOT been validated (only `schemaVersion` is checked), must not mutate it, and returns a v2 document
 * (it need not be valid either: validation runs after the last step).
 */
import { ChainError } from "./errors.ts";
import { describeValue } from "./format.ts";

/** The version this build writes and validates. */
export const CURRENT_SCHEMA_VERSION = 1;

/** A JSON object document at some schema version. */
export type ChainDocument = { readonly schemaVersion: number } & Readonly<Record<string, unknown>>;

/** One upgrade step, from version `from` to `from + 1`. */
export interface Migration {
  readonly from: number;
  readonly to: number;
  readonly description: string;
  up(doc: ChainDocument): ChainDocument;
}

/** The upgrade steps of the chain document, oldest first. Version 1 is the first version: none yet. */
export const CHAIN_MIGRATIONS: readonly Migration[] = [];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Upgrades `json` from its `schemaVersion` to `target` by running `migrations` in turn. Checks that
 * `json` is an object with an integer `schemaVersion` in [first version, `target`] (`INVALID_CHAIN`
 * / `UNSUPPORTED_VERSION` otherwise) and that the steps form an unbroken sequence. Returns a new
 * object; `json` is not modified. The result is not validated.
 */
export function applyMigrations(json: unknown, migrations: readonly Migration[], target: number): ChainDocument {
  if (!isPlainObject(json)) {
    throw ChainError.of(
      "INVALID_CHAIN",
      `a chain must be an object with schemaVersion and modules, got ${describeValue(json)}`,
    );
  }
  const version = json.schemaVersion;
  if (version === undefined) {
    throw ChainError.of("INVALID_CHAIN", `the chain has no schemaVersion (this build reads versions up to ${target})`, [
      "schemaVersion",
    ]);
  }
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw ChainError.of("INVALID_CHAIN", `schemaVersion must be an integer, got ${describeValue(version)}`, [
      "schemaVersion",
    ]);
  }
  const oldest = migrations.length > 0 ? migrations[0]!.from : target;
  if (version > target) {
    throw ChainError.of(
      "UNSUPPORTED_VERSION",
      `schemaVersion ${version} is newer than this build understands (${target}); update the application`,
      ["schemaVersion"],
    );
  }
  if (version < oldest) {
    throw ChainError.of(
      "UNSUPPORTED_VERSION",
      `schemaVersion ${version} never existed; versions run from ${oldest} to ${target}`,
      ["schemaVersion"],
    );
  }
  let doc: ChainDocument = { ...json, schemaVersion: version };
  for (const step of migrations) {
    if (step.to !== step.from + 1)
      throw new Error(`migration ${step.from} → ${step.to} must go up by exactly one version`);
    if (step.from < doc.schemaVersion) continue;
    if (step.from !== doc.schemaVersion) throw new Error(`no migration from schemaVersion ${doc.schemaVersion}`);
    doc = { ...step.up(doc), schemaVersion: step.to };
  }
  if (doc.schemaVersion !== target) throw new Error(`migrations end at ${doc.schemaVersion}, expected ${target}`);
  return doc;
}

/** Upgrades a stored chain document to `CURRENT_SCHEMA_VERSION` (see `applyMigrations`). */
export function migrateChain(json: unknown): ChainDocument {
  return applyMigrations(json, CHAIN_MIGRATIONS, CURRENT_SCHEMA_VERSION);
}
