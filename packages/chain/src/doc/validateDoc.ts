/**
 * Validation of a chain document, and the guarded apply the collaboration server runs for every
 * incoming update: an update that would make the document invalid (or that cannot be decoded, is
 * too large, or depends on state the server does not have) is refused and the document is left
 * exactly as it was.
 */
import * as Y from "yjs";
import type { ChainIssue } from "../errors.ts";
import { isModuleType, MODULE_SPECS, type ModuleType } from "../moduleSpecs.ts";
import { safeParseChain } from "../parseChain.ts";
import { type Chain, type ParamsSchema, paramsSchema } from "../schema.ts";
import { type ChainJson, docToChain, metaOf, modulesOf, ROOT_KEYS } from "./chainDoc.ts";

/** The outcome of `validateDoc`. */
export type ValidateDocResult = { ok: true; issues: []; chain: Chain } | { ok: false; issues: ChainIssue[] };

const invalid = (message: string, path: (string | number)[] = []): ChainIssue => ({
  code: "INVALID_CHAIN",
  message,
  path,
});

/** Issues of the Yjs layout itself, which the plain JSON would hide (a params object instead of a map…). */
function layoutIssues(doc: Y.Doc): ChainIssue[] {
  const issues: ChainIssue[] = [];
  for (const key of doc.share.keys()) {
    if (!ROOT_KEYS.has(key)) issues.push(invalid(`the document has an unexpected root type ${JSON.stringify(key)}`));
  }
  const modules = modulesOf(doc);
  if ([...modules._map.values()].some((item) => !item.deleted)) {
    issues.push(invalid("the modules array carries map entries", ["modules"]));
  }
  const meta = metaOf(doc);
  for (const key of meta.keys()) {
    if (key !== "schemaVersion")
      issues.push(invalid(`meta has an unexpected key ${JSON.stringify(key)}`, ["meta", key]));
  }
  for (let item = meta._start; item !== null; item = item.right) {
    if (!item.deleted) {
      issues.push(invalid("the meta map carries array content", ["meta"]));
      break;
    }
  }
  modules.forEach((entry, index) => {
    if (!(entry instanceof Y.Map)) issues.push(invalid(`modules[${index}] is not a Y.Map`, ["modules", index]));
    else if (!(entry.get("params") instanceof Y.Map)) {
      issues.push(invalid(`modules[${index}].params is not a Y.Map`, ["modules", index, "params"]));
    }
  });
  return issues;
}

/**
 * Parsing fills in a left-out `bypass` or parameter with its default; the document must hold them
 * itself, so that every peer reads the same values and `docToChain` equals the parsed chain.
 */
function completenessIssues(chain: Chain, json: ChainJson): ChainIssue[] {
  const issues: ChainIssue[] = [];
  chain.modules.forEach((module, index) => {
    const raw = json.modules[index] as { bypass?: unknown; params: Record<string, unknown> };
    const name = `module ${JSON.stringify(module.id)} (${module.type})`;
    if (!Object.hasOwn(raw, "bypass")) issues.push(invalid(`${name} lacks "bypass"`, ["modules", index, "bypass"]));
    for (const key of Object.keys(module.params)) {
      if (!Object.hasOwn(raw.params, key)) {
        issues.push(invalid(`${name} lacks parameter ${JSON.stringify(key)}`, ["modules", index, "params", key]));
      }
    }
  });
  return issues;
}

/**
 * Checks the document: its Yjs layout (root types, a `Y.Map` per module with a `Y.Map` of params),
 * `docToChain(doc)` against the zod schema (`parseChain`), and that it holds every `bypass` and
 * parameter itself (no defaults filled in). Returns the parsed chain when valid.
 */
export function validateDoc(doc: Y.Doc): ValidateDocResult {
  const issues = layoutIssues(doc);
  const json = docToChain(doc);
  const parsed = safeParseChain(json);
  if (!parsed.success) issues.push(...parsed.error.issues);
  else if (issues.length === 0) issues.push(...completenessIssues(parsed.data, json));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, issues: [], chain: parsed.data };
}

/** Default ceiling of one incoming update (a whole chain with history is a few kB). */
export const MAX_UPDATE_BYTES = 256 * 1024;

/** Default ceiling of a chain document's encoded state (a real chain with its history is a few KiB). */
export const MAX_DOC_BYTES = 2 * 1024 * 1024;

/** Why `applyUpdateValidated` refused an update. */
export type UpdateRefusal = "TOO_LARGE" | "DOC_TOO_LARGE" | "MALFORMED" | "MISSING_DEPENDENCIES" | "INVALID";

/** The outcome of `applyUpdateValidated`. */
export type ApplyUpdateResult =
  | { applied: true }
  | { applied: false; reason: UpdateRefusal; error: string; issues?: ChainIssue[] };

/** Options of `applyUpdateValidated`. */
export interface ApplyUpdateOptions {
  /** Refuse updates longer than this many bytes (default `MAX_UPDATE_BYTES`). */
  maxBytes?: number;
  /**
   * Ceiling of the whole document: an update is refused (`DOC_TOO_LARGE`) when the document's
   * encoded state plus the update would exceed it (default `MAX_DOC_BYTES`).
   */
  maxDocBytes?: number;
}

const refuse = (reason: UpdateRefusal, error: string, issues?: ChainIssue[]): ApplyUpdateResult =>
  issues ? { applied: false, reason, error, issues } : { applied: false, reason, error };

/**
 * Applies a remote update to `doc` only if the result is a valid chain document. The update is
 * first applied to a scratch copy (`encodeStateAsUpdate(doc)` into a new `Y.Doc`: a fresh
 * `UpdateGuard`), which is then checked with `validateDoc`; `doc` is touched only when the copy passes. Refuses, leaving `doc`
 * unchanged:
 * - `TOO_LARGE`: more than `maxBytes` bytes;
 * - `DOC_TOO_LARGE`: the document would grow past `maxDocBytes`;
 * - `MALFORMED`: bytes the Yjs decoder throws on;
 * - `MISSING_DEPENDENCIES`: an update that builds on state `doc` does not have (e.g. on an update
 *   of the same peer refused earlier): it would sit pending forever, so the peer must resync;
 * - `INVALID`: the resulting document fails `validateDoc` (the issues are returned).
 * A refused peer's document has diverged from `doc`; the server should make it reload `doc`'s state.
 */
export function applyUpdateValidated(
  doc: Y.Doc,
  update: Uint8Array,
  origin?: unknown,
  options: ApplyUpdateOptions = {},
): ApplyUpdateResult {
  const guard = new UpdateGuard(doc, options);
  try {
    return guard.apply(update, origin);
  } finally {
    guard.destroy();
  }
}

/**
 * `applyUpdateValidated` for a document that receives many updates (the collaboration server's
 * room): it keeps a shadow copy of `doc`, so each update is tried on the shadow instead of on a
 * fresh copy of the whole document, and it tracks the document's size instead of encoding it every
 * time. Same checks, same refusals, same guarantee: `doc` changes only when the result is valid
 * (`applyUpdateValidated` is one `apply` of a fresh guard).
 *
 * Every change to `doc` must go through `apply` (else call `resync()`); a refused update makes the
 * shadow be rebuilt from `doc`.
 *
 * Most updates set a parameter (a knob turn) and nothing else. When the document was valid before
 * and the update changed only parameter values and `bypass` flags of existing modules, the guard
 * checks just those modules' params (their zod schema and completeness: what `validateDoc` would
 * find, since the chain-wide rules read only ids, types and order) instead of the whole chain; any
 * other change, or any doubt, runs the whole `validateDoc`. A seeded test checks the decisions
 * against `validateDoc` on every update.
 */
export class UpdateGuard {
  readonly doc: Y.Doc;
  readonly #options: ApplyUpdateOptions;
  #shadow: Y.Doc;
  /** An upper bound of the encoded document's size (exact after a resync). */
  #size = 0;
  /** Whether `doc` is known to pass `validateDoc` (then a change of parameter values alone is checked in place). */
  #valid = false;

  constructor(doc: Y.Doc, options: ApplyUpdateOptions = {}) {
    this.doc = doc;
    this.#options = options;
    this.#shadow = new Y.Doc({ gc: doc.gc });
    this.resync();
  }

  /** Rebuilds the shadow from `doc` (after a change that did not go through `apply`). */
  resync(): void {
    this.#shadow.destroy();
    const state = Y.encodeStateAsUpdate(this.doc);
    this.#shadow = new Y.Doc({ gc: this.doc.gc });
    Y.applyUpdate(this.#shadow, state);
    this.#size = state.byteLength;
    this.#valid = validateDoc(this.#shadow).ok;
  }

  apply(update: Uint8Array, origin?: unknown): ApplyUpdateResult {
    const maxBytes = this.#options.maxBytes ?? MAX_UPDATE_BYTES;
    if (!(update instanceof Uint8Array)) return refuse("MALFORMED", "the update is not a byte array");
    if (update.byteLength > maxBytes) {
      return refuse("TOO_LARGE", `the update has ${update.byteLength} bytes; at most ${maxBytes} are accepted`);
    }
    const maxDocBytes = this.#options.maxDocBytes ?? MAX_DOC_BYTES;
    if (this.#size + update.byteLength > maxDocBytes) {
      this.#size = Y.encodeStateAsUpdate(this.doc).byteLength; // the bound grew loose: measure
      if (this.#size + update.byteLength > maxDocBytes) {
        return refuse(
          "DOC_TOO_LARGE",
          `the document has ${this.#size} bytes; with this update it would pass the ceiling of ${maxDocBytes}`,
        );
      }
    }
    const shadow = this.#shadow;
    const pendingBefore = shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null;
    let checkedInPlace = false;
    try {
      shadow.transact((transaction) => {
        Y.applyUpdate(shadow, update);
        checkedInPlace = this.#valid && paramChangesValid(shadow, transaction.changed);
      });
    } catch (error) {
      this.resync();
      return refuse("MALFORMED", `the update could not be decoded: ${String(error)}`);
    }
    if (!pendingBefore && (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null)) {
      this.resync();
      return refuse("MISSING_DEPENDENCIES", "the update depends on changes this document does not have");
    }
    if (!checkedInPlace) {
      const result = validateDoc(shadow);
      if (!result.ok) {
        this.resync();
        return refuse("INVALID", result.issues.map((i) => i.message).join("\n"), result.issues);
      }
      this.#valid = true;
    }
    Y.applyUpdate(this.doc, update, origin);
    this.#size += update.byteLength;
    return { applied: true };
  }

  destroy(): void {
    this.#shadow.destroy();
  }
}

const paramsSchemas = new Map<ModuleType, ParamsSchema<ModuleType>>();

/** Whether a module's params map holds every parameter of its type, each valid (incl. cross-parameter rules). */
function paramsValid(type: ModuleType, params: Y.Map<unknown>): boolean {
  let schema = paramsSchemas.get(type);
  if (!schema) paramsSchemas.set(type, (schema = paramsSchema(type)));
  const json = params.toJSON() as Record<string, unknown>;
  return MODULE_SPECS[type].params.every((spec) => Object.hasOwn(json, spec.key)) && schema.safeParse(json).success;
}

/**
 * True when the transaction `changed` only parameter values (a module's params map) and `bypass`
 * flags of modules in the modules array, and every module it touched is valid afterwards. False
 * means "not known": the caller validates the whole document. Assumes the document was valid before.
 */
function paramChangesValid(doc: Y.Doc, changed: Y.Transaction["changed"]): boolean {
  const modules = modulesOf(doc);
  const touched = new Set<Y.Map<unknown>>();
  for (const [type, keys] of changed) {
    const item = type._item;
    if (item === null || !(type instanceof Y.Map)) return false; // a root type, an array: structure
    const parent = item.parent;
    if (item.parentSub === null && parent === modules) {
      // The module's own map: only its bypass flag may change here.
      for (const key of keys) if (key !== "bypass") return false;
      if (typeof type.get("bypass") !== "boolean") return false;
      touched.add(type as Y.Map<unknown>);
    } else if (
      item.parentSub === "params" &&
      parent instanceof Y.Map &&
      parent._item?.parent === modules &&
      parent._item.parentSub === null &&
      parent.get("params") === type
    ) {
      touched.add(parent as Y.Map<unknown>);
    } else return false;
  }
  for (const module of touched) {
    const type = module.get("type");
    const params = module.get("params");
    if (!isModuleType(type) || !(params instanceof Y.Map) || !paramsValid(type, params)) return false;
  }
  return true;
}
