import { expect, it } from "vitest";
import * as chain from "./index.ts";

it("exports the public API from one entry point", () => {
  expect(Object.keys(chain).sort()).toEqual(
    [
      "CHAIN_MIGRATIONS",
      "CURRENT_SCHEMA_VERSION",
      "Chain",
      "ChainError",
      "ChainModule",
      "EQ_BAND_MODES",
      "EQ_BAND_TYPES",
      "MAX_MODULES",
      "MIN_CROSSOVER_RATIO",
      "MODULE_ID_PATTERN",
      "MODULE_SPECS",
      "MODULE_TYPES",
      "ModuleId",
      "PRESETS",
      "PRESET_MODULE_ORDER",
      "PRESET_NAMES",
      "SINGLE_MODULE_TYPES",
      "applyMigrations",
      "createModule",
      "defaultParams",
      "diffChains",
      "findParamSpec",
      "formatNumber",
      "formatParamValue",
      "formatRange",
      "isChainError",
      "isModuleId",
      "isModuleType",
      "migrateChain",
      "moduleSpec",
      "paramSpec",
      "paramsSchema",
      "parseChain",
      "presetChain",
      "safeParseChain",
    ].sort(),
  );
  expect(chain.parseChain(chain.presetChain("streaming")).modules).toHaveLength(12);
});
