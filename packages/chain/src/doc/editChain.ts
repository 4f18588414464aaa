/**
 * Edit operations on a chain document. Each one checks the chain that would result with
 * `parseChain` before it touches the document (so an edit that would make it invalid throws
 * `ChainError` and changes nothing), then writes in one `doc.transact(fn, origin)`.
 *
 * Concurrency: edits are checked against the local state only. Two valid concurrent edits can
 * merge into an invalid chain (two peers each add a limiter, both move the same module, crossovers
 * pushed toward each other); the collaboration server catches that with `applyUpdateValidated`.
 */
import * as Y from "yjs";
import { createModule } from "../createModule.ts";
import { ChainError } from "../errors.ts";
import { CURRENT_SCHEMA_VERSION } from "../migrate.ts";
import { isModuleType, MODULE_TYPES, type ModuleType, moduleSpec } from "../moduleSpecs.ts";
import type { ParamValue } from "../paramSpec.ts";
import { parseChain } from "../parseChain.ts";
import { type PresetName, type PresetOptions, presetChain } from "../presets.ts";
import type { Chain, ChainInput } from "../schema.ts";
import { docToChain, LOCAL_ORIGIN, metaOf, moduleIndex, modulesOf, moduleToYMap } from "./chainDoc.ts";

/** The chain the document would hold with `modules` (throws `ChainError` when it would be invalid). */
function check(modules: unknown[]): Chain {
  return parseChain({ schemaVersion: CURRENT_SCHEMA_VERSION, modules });
}

/** A copy of `list` with `deleteCount` items at `start` replaced by `items` (ES2022 has no `toSpliced`). */
function spliced<T>(list: readonly T[], start: number, deleteCount: number, ...items: T[]): T[] {
  const copy = [...list];
  copy.splice(start, deleteCount, ...items);
  return copy;
}

function moduleEntry(doc: Y.Doc, index: number): Y.Map<unknown> {
  const entry = modulesOf(doc).get(index);
  if (!(entry instanceof Y.Map) || !(entry.get("params") instanceof Y.Map)) {
    throw ChainError.of("INVALID_CHAIN", `modules[${index}] is not a module map with a params map`);
  }
  return entry;
}

/** An id no module of the document has: `{type}-{clientID in base 36}-{n}`, unique across peers. */
function newModuleId(doc: Y.Doc, type: ModuleType): string {
  const taken = new Set(docToChain(doc).modules.map((m) => (m as { id?: unknown } | null)?.id));
  const prefix = `${type}-${doc.clientID.toString(36)}-`;
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** Where a module of `type` goes by default: after the last module that runs before it in `MODULE_TYPES`. */
function defaultIndex(modules: readonly unknown[], type: ModuleType): number {
  const rank = (t: unknown) => (isModuleType(t) ? MODULE_TYPES.indexOf(t) : -1);
  let at = 0;
  modules.forEach((m, i) => {
    if (rank((m as { type?: unknown } | null)?.type) <= rank(type)) at = i + 1;
  });
  return at;
}

function checkIndex(index: number, length: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index > length) {
    throw ChainError.of("INVALID_CHAIN", `${what} ${index} is outside 0…${length}`);
  }
}

/**
 * Adds a module of `type` with default parameters at `index` (default: its usual place in the
 * chain order) and returns its new id. Throws `ChainError` when the chain rules refuse it (a second
 * limiter, output not last, more than `MAX_MODULES`…).
 */
export function addModule(doc: Y.Doc, type: ModuleType, index?: number, origin: unknown = LOCAL_ORIGIN): string {
  moduleSpec(type);
  const modules = docToChain(doc).modules;
  const at = index ?? defaultIndex(modules, type);
  checkIndex(at, modules.length, "module index");
  const module = createModule(type, newModuleId(doc, type));
  check(spliced(modules, at, 0, module));
  doc.transact(() => modulesOf(doc).insert(at, [moduleToYMap(module)]), origin);
  return module.id;
}

/** Removes the module with `id` (`MODULE_NOT_FOUND` when there is none). */
export function removeModule(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN): void {
  const from = moduleIndex(doc, id);
  check(spliced(docToChain(doc).modules, from, 1));
  doc.transact(() => modulesOf(doc).delete(from, 1), origin);
}

/**
 * Moves the module with `id` so that it ends up at index `to`. Yjs 13 has no move: the module is
 * deleted and a fresh copy inserted, in one transaction. Consequences under concurrency: edits
 * other peers make to that module concurrently with the move land in the deleted copy and are
 * lost; two peers moving the same module concurrently leave two copies with the same id (an
 * invalid chain the server rejects); a peer's undo of its move restores the module where it was.
 */
export function moveModule(doc: Y.Doc, id: string, to: number, origin: unknown = LOCAL_ORIGIN): void {
  const from = moduleIndex(doc, id);
  const modules = docToChain(doc).modules;
  checkIndex(to, modules.length - 1, "target index");
  if (from === to) return;
  const moved = modules[from];
  const next = check(spliced(spliced(modules, from, 1), to, 0, moved));
  doc.transact(() => {
    const list = modulesOf(doc);
    list.delete(from, 1);
    list.insert(to, [moduleToYMap(next.modules[to]!)]);
  }, origin);
}

/** Bypasses (or re-enables) the module with `id`. */
export function setBypass(doc: Y.Doc, id: string, bypass: boolean, origin: unknown = LOCAL_ORIGIN): void {
  const index = moduleIndex(doc, id);
  const modules = docToChain(doc).modules;
  const next = check(spliced(modules, index, 1, { ...(modules[index] as object), bypass }));
  const entry = moduleEntry(doc, index);
  if (entry.get("bypass") === next.modules[index]!.bypass) return;
  doc.transact(() => entry.set("bypass", next.modules[index]!.bypass), origin);
}

/**
 * Sets one parameter of the module with `id`. Throws `ChainError` naming module and parameter for
 * an unknown key, a value of the wrong type, out of range, or in conflict with another parameter
 * (e.g. multiband crossovers closer than half an octave). `-0` is stored as `0`.
 */
export function setParam(doc: Y.Doc, id: string, key: string, value: ParamValue, origin: unknown = LOCAL_ORIGIN): void {
  const index = moduleIndex(doc, id);
  const modules = docToChain(doc).modules;
  const current = modules[index] as { params?: object };
  const next = check(spliced(modules, index, 1, { ...current, params: { ...current.params, [key]: value } }));
  const stored = (next.modules[index]!.params as Record<string, ParamValue>)[key]!;
  const params = moduleEntry(doc, index).get("params") as Y.Map<unknown>;
  if (Object.is(params.get(key), stored)) return;
  doc.transact(() => params.set(key, stored), origin);
}

/**
 * Applies preset `name` (see `restoreChain` for how it is written: every preset shares one layout,
 * so applying one over another writes only the bypass states and parameters that differ).
 */
export function applyPreset(
  doc: Y.Doc,
  name: PresetName,
  options: PresetOptions = {},
  origin: unknown = LOCAL_ORIGIN,
): void {
  writeChain(doc, presetChain(name, options), origin);
}

/**
 * Makes the document hold `chain` (e.g. a saved version), as one ordinary forward edit tagged with
 * `origin`: everyone sees it, and that person's undo returns to the chain before. `chain` is parsed
 * first (an invalid chain throws `ChainError` and changes nothing). When the document holds the same
 * module ids and types in the same order, only the bypass states and parameters that differ are
 * written, in place, so concurrent edits of other parameters survive; otherwise the module list is
 * replaced in one transaction (concurrent edits to the old modules are then lost, as with `chainToDoc`).
 */
export function restoreChain(doc: Y.Doc, chain: Chain | ChainInput, origin: unknown = LOCAL_ORIGIN): void {
  writeChain(doc, parseChain(chain), origin);
}

function writeChain(doc: Y.Doc, target: Chain, origin: unknown): void {
  const list = modulesOf(doc);
  const entries = list.toArray();
  const sameLayout =
    entries.length === target.modules.length &&
    entries.every(
      (e, i) =>
        e instanceof Y.Map &&
        e.get("params") instanceof Y.Map &&
        e.get("id") === target.modules[i]!.id &&
        e.get("type") === target.modules[i]!.type,
    );
  doc.transact(() => {
    if (metaOf(doc).get("schemaVersion") !== target.schemaVersion)
      metaOf(doc).set("schemaVersion", target.schemaVersion);
    if (!sameLayout) {
      list.delete(0, list.length);
      list.insert(0, target.modules.map(moduleToYMap));
      return;
    }
    target.modules.forEach((m, i) => {
      const entry = entries[i]!;
      if (entry.get("bypass") !== m.bypass) entry.set("bypass", m.bypass);
      const params = entry.get("params") as Y.Map<unknown>;
      const want = m.params as Record<string, ParamValue>;
      for (const key of [...params.keys()]) if (!Object.hasOwn(want, key)) params.delete(key);
      for (const [key, value] of Object.entries(want)) if (!Object.is(params.get(key), value)) params.set(key, value);
    });
  }, origin);
}
