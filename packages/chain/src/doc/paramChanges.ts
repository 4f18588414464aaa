/**
 * The in-place checks of `UpdateGuard`: an update that changes only parameter values and `bypass`
 * flags of modules in the chain is checked on just the modules it touches (their params' zod schema,
 * cross-parameter rules and completeness) instead of the whole document. That is what `validateDoc`
 * would find, provided the document was valid before: the chain-wide rules read only ids, types and
 * order, which such a change leaves alone. Both checks answer true ("valid") or false ("not known":
 * the guard validates the whole document); seeded tests in `validateDoc.test.ts` hold them to that.
 */
import * as Y from "yjs";
import { isModuleType, MODULE_SPECS, type ModuleType } from "../moduleSpecs.ts";
import { type ParamsSchema, paramsSchema } from "../schema.ts";
import { modulesOf } from "./chainDoc.ts";
import type { MapSet } from "./readMapSets.ts";

const paramsSchemas = new Map<ModuleType, ParamsSchema<ModuleType>>();

/** Whether a module's params (as `Y.Map#toJSON` gives them) hold every parameter, each valid (incl. cross-parameter rules). */
function paramsValid(type: ModuleType, json: Record<string, unknown>): boolean {
  let schema = paramsSchemas.get(type);
  if (!schema) paramsSchemas.set(type, (schema = paramsSchema(type)));
  return MODULE_SPECS[type].params.every((spec) => Object.hasOwn(json, spec.key)) && schema.safeParse(json).success;
}

/** The module whose `params` map `map` is, when it is a live module of the chain and those are its params. */
function moduleOfParams(modules: Y.Array<Y.Map<unknown>>, map: Y.Map<unknown>): Y.Map<unknown> | null {
  const item = map._item;
  const module = item?.parent;
  if (item?.parentSub !== "params" || !(module instanceof Y.Map)) return null;
  const moduleItem = module._item;
  if (moduleItem === null || moduleItem.deleted || moduleItem.parent !== modules || moduleItem.parentSub !== null) {
    return null;
  }
  return module.get("params") === map ? module : null;
}

/**
 * `paramChangesValid` for an update not yet applied: true when `sets` (from `readMapSets`) only set
 * `bypass` flags to booleans and parameter values of modules in the chain, and every touched
 * module's params are valid with the new values. False means "not known". Assumes `doc` is valid.
 */
export function mapSetsValid(doc: Y.Doc, sets: readonly MapSet[]): boolean {
  const modules = modulesOf(doc);
  const touched = new Map<Y.Map<unknown>, Record<string, unknown>>(); // module → its params afterwards
  for (const { map, key, value } of sets) {
    const item = map._item;
    if (item === null || item.deleted) return false;
    if (item.parent === modules && item.parentSub === null) {
      if (key !== "bypass" || typeof value !== "boolean") return false;
      continue;
    }
    const module = moduleOfParams(modules, map);
    if (module === null) return false;
    let json = touched.get(module);
    if (!json) touched.set(module, (json = map.toJSON() as Record<string, unknown>));
    json[key] = value;
  }
  for (const [module, json] of touched) {
    const type = module.get("type");
    if (!isModuleType(type) || !paramsValid(type, json)) return false;
  }
  return true;
}

/**
 * True when the transaction `changed` only parameter values (a module's params map) and `bypass`
 * flags of modules in the modules array, and every module it touched is valid afterwards. False
 * means "not known": the caller validates the whole document. Assumes the document was valid before.
 */
export function paramChangesValid(doc: Y.Doc, changed: Y.Transaction["changed"]): boolean {
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
    } else {
      const module = moduleOfParams(modules, type as Y.Map<unknown>);
      if (module === null) return false;
      touched.add(module);
    }
  }
  for (const module of touched) {
    const type = module.get("type");
    const params = module.get("params");
    if (!isModuleType(type) || !(params instanceof Y.Map)) return false;
    if (!paramsValid(type, params.toJSON() as Record<string, unknown>)) return false;
  }
  return true;
}
