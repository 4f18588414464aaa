import { CURRENT_SCHEMA_VERSION } from "./migrate.ts";
import { type ModuleParams, type ModuleType, moduleSpec } from "./moduleSpecs.ts";
import { parseChain } from "./parseChain.ts";
import type { ModuleOf } from "./schema.ts";

/** Options of `createModule` beyond the params. */
export interface CreateModuleOptions {
  /** Start bypassed (default `false`). */
  bypass?: boolean;
}

/**
 * A new, valid module of `type`: every parameter at its default except `overrides`.
 * Throws `ChainError` for an unknown type, a bad id or an invalid override, with the same messages
 * as `parseChain`.
 *
 * @example createModule("limiter", "lim", { ceilingDbtp: -0.3 })
 */
export function createModule<T extends ModuleType>(
  type: T,
  id: string,
  overrides?: Partial<ModuleParams<T>>,
  options?: CreateModuleOptions,
): ModuleOf<T> {
  moduleSpec(type);
  const module = { id, type, bypass: options?.bypass ?? false, params: overrides ?? {} };
  return parseChain({ schemaVersion: CURRENT_SCHEMA_VERSION, modules: [module] }).modules[0] as ModuleOf<T>;
}
