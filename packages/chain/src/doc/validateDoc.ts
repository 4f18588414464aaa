/**
 * Validation of a chain document, and the guarded apply the collaboration server runs for every
 * incoming update: an update that would make the document invalid (or that cannot be decoded, is
 * too large, or depends on state the server does not have) is refused and the document is left
 * exactly as it was.
 */
import * as Y from "yjs";
import type { ChainIssue } from "../errors.ts";
import { safeParseChain } from "../parseChain.ts";
import type { Chain } from "../schema.ts";
import { type ChainJson, docToChain, metaOf, modulesOf, ROOT_KEYS } from "./chainDoc.ts";
import { mapSetsValid, paramChangesValid } from "./paramChanges.ts";
import { readMapSets } from "./readMapSets.ts";

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
 * `UpdateGuard`, which checks a plain knob turn from its bytes instead), which is then checked with
 * `validateDoc`; `doc` is touched only when the copy passes. Refuses, leaving `doc` unchanged:
 * - `TOO_LARGE`: more than `maxBytes` bytes;
 * - `DOC_TOO_LARGE`: the document would grow past `maxDocBytes`;
 * - `MALFORMED`: bytes the Yjs decoder throws on, or that carry a struct of length 0 (Yjs would
 *   store it and the next struct at one clock: a value that reads as `undefined`, a store that no
 *   longer encodes what it holds);
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
 * room): it tries updates on a shadow copy of `doc` that it keeps between updates instead of
 * copying the whole document each time, and it tracks the document's size instead of encoding it
 * every time. Same checks, same refusals, same guarantee: `doc` changes only when the result is
 * valid (`applyUpdateValidated` is one `apply` of a fresh guard).
 *
 * Every change to `doc` must go through `apply` (else call `resync()`).
 *
 * Most updates set a parameter (a knob turn) and nothing else. When the document was valid before
 * and the update changes only parameter values and `bypass` flags of existing modules, the guard
 * checks just those modules' params (their zod schema and completeness: what `validateDoc` would
 * find, since the chain-wide rules read only ids, types and order) instead of the whole chain; any
 * other change, or any doubt, runs the whole `validateDoc`. When such an update also has the plain
 * shape `readMapSets` reads from its bytes (each value overwriting a key's current value), the
 * guard checks it without trying it anywhere and `doc` takes it directly (at once with `apply`, at
 * `commit` after `decide`). So the shadow is built only when an update needs it (a room that only
 * turns knobs never holds one), takes the knob turns after them (`settle`), and is dropped when an
 * update it tried is refused. Seeded tests check the decisions against `validateDoc` on every update.
 */
export class UpdateGuard {
  readonly doc: Y.Doc;
  readonly #options: ApplyUpdateOptions;
  /** A copy of `doc` to try updates on; `null` until an update needs one, and after a refusal. */
  #shadow: Y.Doc | null = null;
  /** Updates `doc` took without the shadow (read by `readMapSets`), oldest first: the shadow's to apply. */
  #behind: Uint8Array[] = [];
  /** An upper bound of the encoded document's size (exact after a resync). */
  #size = 0;
  /** Whether `doc` is known to pass `validateDoc` (then a change of parameter values alone is checked in place). */
  #valid = false;
  /** A knob turn `decide` accepted and `doc` has not taken yet (`commit`). */
  #decided: { update: Uint8Array; origin: unknown } | null = null;

  constructor(doc: Y.Doc, options: ApplyUpdateOptions = {}) {
    this.doc = doc;
    this.#options = options;
    this.resync();
  }

  /** Measures and validates `doc` afresh (after a change that did not go through `apply`). */
  resync(): void {
    this.commit();
    this.#dropShadow();
    const state = Y.encodeStateAsUpdate(this.doc);
    const copy = new Y.Doc({ gc: this.doc.gc });
    Y.applyUpdate(copy, state);
    this.#size = state.byteLength;
    this.#valid = validateDoc(copy).ok;
    copy.destroy();
  }

  apply(update: Uint8Array, origin?: unknown): ApplyUpdateResult {
    const result = this.decide(update, origin);
    this.commit();
    return result;
  }

  /**
   * `apply` in two steps, for a caller with work to do before `doc` changes (the collaboration room
   * stores and relays an update first): the same decision, but an update accepted from its bytes
   * alone (a knob turn) reaches `doc` only at `commit()`; any other accepted update is applied at
   * once. `decide`, `apply`, `settle` and `resync` commit a decided update first; `destroy` drops it.
   */
  decide(update: Uint8Array, origin?: unknown): ApplyUpdateResult {
    this.commit();
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
    if (this.#valid) {
      const sets = readMapSets(this.doc, update);
      if (sets !== null && mapSetsValid(this.doc, sets)) {
        this.#decided = { update, origin };
        this.#size += update.byteLength;
        return { applied: true };
      }
    }
    const malformed = structIssue(update);
    if (malformed) return refuse("MALFORMED", `the update could not be decoded: ${malformed}`);
    const shadow = this.#currentShadow();
    const pendingBefore = shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null;
    let checkedInPlace = false;
    try {
      shadow.transact((transaction) => {
        Y.applyUpdate(shadow, update);
        checkedInPlace = this.#valid && paramChangesValid(shadow, transaction.changed);
      });
    } catch (error) {
      this.#dropShadow();
      return refuse("MALFORMED", `the update could not be decoded: ${String(error)}`);
    }
    if (!pendingBefore && (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null)) {
      this.#dropShadow();
      return refuse("MISSING_DEPENDENCIES", "the update depends on changes this document does not have");
    }
    if (!checkedInPlace) {
      const result = validateDoc(shadow);
      if (!result.ok) {
        this.#dropShadow();
        return refuse("INVALID", result.issues.map((i) => i.message).join("\n"), result.issues);
      }
      this.#valid = true;
    }
    Y.applyUpdate(this.doc, update, origin);
    this.#size += update.byteLength;
    return { applied: true };
  }

  /**
   * Applies to the shadow, when there is one, the updates `apply` accepted without it. The
   * collaboration room calls this after relaying an update (off the edit's path); `apply` does it
   * itself before it uses the shadow.
   */
  settle(): void {
    this.commit();
    const shadow = this.#shadow;
    if (shadow === null || this.#behind.length === 0) return;
    const behind = this.#behind;
    this.#behind = [];
    try {
      for (const update of behind) Y.applyUpdate(shadow, update);
    } catch {
      this.#dropShadow(); // cannot happen: `doc` took the same updates from the same state
      return;
    }
    if (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null) this.#dropShadow();
  }

  /** Applies to `doc` the knob turn `decide` accepted, if there is one (see `decide`). */
  commit(): void {
    const decided = this.#decided;
    if (decided === null) return;
    this.#decided = null;
    Y.applyUpdate(this.doc, decided.update, decided.origin);
    if (this.#shadow !== null) this.#behind.push(decided.update);
    if (this.#behind.length >= MAX_BEHIND) this.settle();
  }

  destroy(): void {
    this.#decided = null;
    this.#dropShadow();
  }

  /** The shadow, holding what `doc` holds: settled, or built from `doc`'s state. */
  #currentShadow(): Y.Doc {
    this.settle();
    if (this.#shadow === null) {
      this.#shadow = new Y.Doc({ gc: this.doc.gc });
      Y.applyUpdate(this.#shadow, Y.encodeStateAsUpdate(this.doc));
    }
    return this.#shadow;
  }

  #dropShadow(): void {
    this.#shadow?.destroy();
    this.#shadow = null;
    this.#behind = [];
  }
}

/**
 * Why Yjs's reader must not take `update` (`Y.decodeUpdate` reads structs as `Y.applyUpdate` does,
 * or throws where the two could differ), or `null`.
 */
function structIssue(update: Uint8Array): string | null {
  try {
    return Y.decodeUpdate(update).structs.some((struct) => struct.length === 0) ? "a struct of length 0" : null;
  } catch (error) {
    return String(error);
  }
}

/** Updates the guard lets the shadow fall behind by when its owner never calls `settle`. */
const MAX_BEHIND = 64;
