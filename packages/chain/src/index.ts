/**
 * @comaster/chain — the mastering chain document, one source of truth for web, collaboration
 * server, render worker and tests.
 *
 * - `MODULE_SPECS`: every module type and its parameter specs (range, unit, default, scale).
 * - `Chain` / `ChainModule`: the zod schema built from the specs, and the types inferred from it.
 * - `parseChain` / `safeParseChain`: untrusted JSON → migrated, validated chain with defaults filled,
 *   or a `ChainError` whose messages name module, parameter and allowed range.
 * - `createModule`, `defaultParams`, `paramSpec`: building blocks for editors.
 * - `PRESETS` / `presetChain`: complete chains per delivery target.
 * - `migrateChain`: schema versions; `diffChains`: parameter-by-parameter changes between versions,
 *   `describeChanges`: the same as lines people read.
 */

export { EQ_BAND_MODES, EQ_BAND_TYPES, MIN_CROSSOVER_RATIO } from "./bandSpecs.ts";
export { MAX_MODULES, SINGLE_MODULE_TYPES } from "./chainRules.ts";
export { type CreateModuleOptions, createModule } from "./createModule.ts";
export { describeChange, describeChanges, describeParamChange } from "./describeChanges.ts";
export { type ChainChange, diffChains } from "./diffChains.ts";
export {
  type ChainJson,
  chainToDoc,
  createChainDoc,
  docToChain,
  LOCAL_ORIGIN,
  META_KEY,
  MODULES_KEY,
  metaOf,
  modulesOf,
  readChain,
} from "./doc/chainDoc.ts";
export {
  addModule,
  applyPreset,
  moveModule,
  removeModule,
  restoreChain,
  setBypass,
  setParam,
} from "./doc/editChain.ts";
export { type ChainUndoOptions, createUndoManager } from "./doc/undo.ts";
export {
  type ApplyUpdateOptions,
  type ApplyUpdateResult,
  applyUpdateValidated,
  MAX_DOC_BYTES,
  MAX_UPDATE_BYTES,
  UpdateGuard,
  type UpdateRefusal,
  type ValidateDocResult,
  validateDoc,
} from "./doc/validateDoc.ts";
export { ChainError, type ChainErrorCode, type ChainIssue, isChainError } from "./errors.ts";
export { formatNumber, formatParamValue, formatRange } from "./format.ts";
export { loudnessTargetOf, soundSignature } from "./loudnessTarget.ts";
export {
  applyMigrations,
  CHAIN_MIGRATIONS,
  type ChainDocument,
  CURRENT_SCHEMA_VERSION,
  type Migration,
  migrateChain,
} from "./migrate.ts";
export { isModuleId, MODULE_ID_PATTERN, ModuleId } from "./moduleId.ts";
export {
  defaultParams,
  findParamSpec,
  isModuleType,
  MODULE_SPECS,
  MODULE_TYPES,
  type ModuleParams,
  type ModuleSpec,
  type ModuleType,
  moduleSpec,
  type ParamKey,
  paramSpec,
} from "./moduleSpecs.ts";
export type {
  BooleanParamSpec,
  EnumParamSpec,
  NumberParamSpec,
  ParamSpec,
  ParamsOf,
  ParamValue,
  ParamValueOf,
  Scale,
  Unit,
} from "./paramSpec.ts";
export { type ParseChainResult, parseChain, safeParseChain } from "./parseChain.ts";
export {
  PRESET_MODULE_ORDER,
  PRESET_NAMES,
  PRESETS,
  type Preset,
  type PresetName,
  type PresetOptions,
  presetChain,
} from "./presets.ts";
export {
  Chain,
  type ChainInput,
  ChainModule,
  type ChainModuleInput,
  type ModuleOf,
  type ParamsSchema,
  paramsSchema,
} from "./schema.ts";
