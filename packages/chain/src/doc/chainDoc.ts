/**
 * The chain as a Yjs document, and the mapping to and from the plain chain JSON.
 *
 * Layout (yjs 13.6):
 * - `doc.getArray("modules")`: one `Y.Map` per module, in chain order, with `id` (string),
 *   `type` (string), `bypass` (boolean) and `params` (a nested `Y.Map`, parameter key → value).
 *   Params are flat in the schema (EQ and multiband bands use prefixed keys such as `b2Gain`), so
 *   concurrent edits of different parameters — different bands included — merge key by key.
 * - `doc.getMap("meta")`: `schemaVersion`.
 *
 * Only this folder touches the Y.Doc; web, server and tests call these functions.
 */
import * as Y from "yjs";
import { ChainError } from "../errors.ts";
import { CURRENT_SCHEMA_VERSION } from "../migrate.ts";
import { isModuleType, MODULE_SPECS } from "../moduleSpecs.ts";
import type { ParamSpec } from "../paramSpec.ts";
import { parseChain } from "../parseChain.ts";
import type { Chain, ChainInput, ChainModule } from "../schema.ts";

/** Name of the root `Y.Array` holding the modules. */
export const MODULES_KEY = "modules";
/** Name of the root `Y.Map` holding `schemaVersion`. */
export const META_KEY = "meta";
/** The root types a chain document may hold; anything else is refused by `validateDoc`. */
export const ROOT_KEYS: ReadonlySet<string> = new Set([MODULES_KEY, META_KEY]);

/** Origin of the local user's edits when the caller passes none (what `createUndoManager` tracks by default). */
export const LOCAL_ORIGIN: unique symbol = Symbol("comaster.chain.localEdit");

/** What `docToChain` reads: the document's content as plain JSON, not yet validated. */
export interface ChainJson {
  schemaVersion: unknown;
  modules: unknown[];
}

/** The module list of a chain document. */
export function modulesOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(MODULES_KEY);
}

/** The meta map of a chain document. */
export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY);
}

/** A fresh `Y.Map` holding `module` (not yet part of any document). */
export function moduleToYMap(module: ChainModule): Y.Map<unknown> {
  const params = new Y.Map<unknown>(Object.entries(module.params));
  return new Y.Map<unknown>([
    ["id", module.id],
    ["type", module.type],
    ["bypass", module.bypass],
    ["params", params],
  ]);
}

const toJson = (v: unknown): unknown => (v instanceof Y.AbstractType ? v.toJSON() : v);

/** Keys of `map` in a stable order: `first` (those present), then the rest sorted. */
function orderedKeys(map: Y.Map<unknown>, first: readonly string[]): string[] {
  const rest = [...map.keys()].filter((k) => !first.includes(k)).sort();
  return [...first.filter((k) => map.has(k)), ...rest];
}

function paramsToJson(type: unknown, params: unknown): unknown {
  if (!(params instanceof Y.Map)) return toJson(params);
  const specs: readonly ParamSpec[] = isModuleType(type) ? MODULE_SPECS[type].params : [];
  const keys = orderedKeys(
    params,
    specs.map((s) => s.key),
  );
  return Object.fromEntries(keys.map((k) => [k, toJson(params.get(k))]));
}

function moduleToJson(entry: unknown): unknown {
  if (!(entry instanceof Y.Map)) return toJson(entry);
  const keys = orderedKeys(entry, ["id", "type", "bypass", "params"]);
  const type = entry.get("type");
  return Object.fromEntries(
    keys.map((k) => [k, k === "params" ? paramsToJson(type, entry.get(k)) : toJson(entry.get(k))]),
  );
}

/**
 * The document as a plain chain JSON, exactly as it holds it (unvalidated: a hostile peer may have
 * written anything). Keys come in a fixed order (id, type, bypass, params; parameters in spec
 * order, unknown keys after them, sorted), so two converged peers produce identical JSON text.
 * Use `readChain` or `validateDoc` for a validated `Chain`.
 */
export function docToChain(doc: Y.Doc): ChainJson {
  return { schemaVersion: metaOf(doc).get("schemaVersion"), modules: modulesOf(doc).toArray().map(moduleToJson) };
}

/** The document as a validated `Chain`; throws `ChainError` when it is not valid. */
export function readChain(doc: Y.Doc): Chain {
  return parseChain(docToChain(doc));
}

/**
 * Replaces the document's content with `chain` (parsed first, so defaults are filled and an
 * invalid chain throws `ChainError` before anything changes), in one transaction.
 * Every module becomes a new `Y.Map`: concurrent edits to the old modules are lost.
 */
export function chainToDoc(chain: Chain | ChainInput, doc: Y.Doc, origin: unknown = LOCAL_ORIGIN): void {
  const parsed = parseChain(chain);
  doc.transact(() => {
    const modules = modulesOf(doc);
    modules.delete(0, modules.length);
    modules.insert(0, parsed.modules.map(moduleToYMap));
    metaOf(doc).set("schemaVersion", CURRENT_SCHEMA_VERSION);
  }, origin);
}

/** A new `Y.Doc` holding `chain`. */
export function createChainDoc(chain: Chain | ChainInput, options?: ConstructorParameters<typeof Y.Doc>[0]): Y.Doc {
  const doc = new Y.Doc(options);
  chainToDoc(chain, doc);
  return doc;
}

/** Index of the module with `id`; throws `MODULE_NOT_FOUND` when there is none. */
export function moduleIndex(doc: Y.Doc, id: string): number {
  const index = modulesOf(doc)
    .toArray()
    .findIndex((m) => m instanceof Y.Map && m.get("id") === id);
  if (index < 0) throw ChainError.of("MODULE_NOT_FOUND", `the chain has no module with id ${JSON.stringify(id)}`);
  return index;
}
