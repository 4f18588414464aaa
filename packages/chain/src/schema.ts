/**
 * The zod schema of the chain document, built from `MODULE_SPECS` so that ranges and defaults live in
 * one place. Types are inferred from it: `Chain`, `ChainModule`.
 *
 * Parsing fills missing parameters (and a missing `bypass` / `params`) with defaults, turns `-0` into
 * `0` (so a JSON round trip is exact), and rejects unknown keys at every level.
 */
import * as z from "zod";
import { chainRuleIssues, crossoverIssues, MAX_MODULES, type RuleIssue } from "./chainRules.ts";
import { CURRENT_SCHEMA_VERSION } from "./migrate.ts";
import { ModuleId } from "./moduleId.ts";
import { MODULE_SPECS, type ModuleParams, type ModuleType } from "./moduleSpecs.ts";
import type { ParamSpec } from "./paramSpec.ts";

/** Key under which a custom zod issue carries its `ChainErrorCode` (read by `parseChain`). */
export const CHAIN_CODE = "chainCode";

function addRuleIssues(ctx: z.RefinementCtx, issues: readonly RuleIssue[]): void {
  for (const { code, message, path, moduleId, moduleType } of issues) {
    ctx.addIssue({ code: "custom", message, path, params: { [CHAIN_CODE]: code, moduleId, moduleType } });
  }
}

const positiveZero = (v: number) => (v === 0 ? 0 : v);

function paramSchema(spec: ParamSpec): z.ZodType {
  switch (spec.kind) {
    case "number":
      return z.number().min(spec.min).max(spec.max).overwrite(positiveZero).default(spec.default);
    case "enum":
      return z.enum(spec.options as readonly [string, ...string[]]).default(spec.default);
    case "boolean":
      return z.boolean().default(spec.default);
  }
}

/** Rules across the parameters of one module, by type. */
const PARAM_RULES: { [T in ModuleType]?: (p: ModuleParams<T>) => RuleIssue[] } = {
  multiband: crossoverIssues,
};

/** The schema of one module type's params: strict, every key optional on input and filled on output. */
export type ParamsSchema<T extends ModuleType> = z.ZodType<ModuleParams<T>, Partial<ModuleParams<T>>>;

/** Builds the params schema of a module type from its specs (and its cross-parameter rules). */
export function paramsSchema<T extends ModuleType>(type: T): ParamsSchema<T> {
  const specs: readonly ParamSpec[] = MODULE_SPECS[type].params;
  const shape = z.strictObject(Object.fromEntries(specs.map((s) => [s.key, paramSchema(s)])));
  const rule = PARAM_RULES[type] as ((p: unknown) => RuleIssue[]) | undefined;
  const schema = rule ? shape.superRefine((p, ctx) => addRuleIssues(ctx, rule(p))) : shape;
  return schema as unknown as ParamsSchema<T>;
}

function moduleSchema<const T extends ModuleType>(type: T) {
  return z.strictObject({
    id: ModuleId,
    type: z.literal(type),
    bypass: z.boolean().default(false),
    params: paramsSchema(type).prefault({}),
  });
}

/** One module of the chain; discriminated by `type`. */
export const ChainModule = z.discriminatedUnion("type", [
  moduleSchema("trim"),
  moduleSchema("highpass"),
  moduleSchema("eq"),
  moduleSchema("compressor"),
  moduleSchema("multiband"),
  moduleSchema("saturation"),
  moduleSchema("imager"),
  moduleSchema("deesser"),
  moduleSchema("reverb"),
  moduleSchema("loudness"),
  moduleSchema("limiter"),
  moduleSchema("output"),
  moduleSchema("fade"),
]);
/** A parsed module: every parameter present and valid. */
export type ChainModule = z.output<typeof ChainModule>;
/** A module as accepted on input: `bypass`, `params` and any parameter may be left out. */
export type ChainModuleInput = z.input<typeof ChainModule>;
/** The parsed module of one type, e.g. `ModuleOf<"limiter">`. */
export type ModuleOf<T extends ModuleType> = Extract<ChainModule, { type: T }>;

const modulesOf = (doc: unknown): unknown =>
  typeof doc === "object" && doc !== null ? (doc as { modules?: unknown }).modules : undefined;

/**
 * The whole chain document. The cross-module rules (`chainRuleIssues`) run even when some module is
 * invalid, so one parse reports everything; only a list longer than `MAX_MODULES` is refused alone.
 */
export const Chain = z
  .strictObject({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    modules: z.array(ChainModule).max(MAX_MODULES),
  })
  .superRefine((chain: unknown, ctx) => addRuleIssues(ctx, chainRuleIssues(modulesOf(chain))), { when: () => true });
/** A parsed, valid chain document. */
export type Chain = z.output<typeof Chain>;
/** A chain document as accepted on input (before defaults are filled). */
export type ChainInput = z.input<typeof Chain>;

// Compile-time check that the union above lists every module type.
const everyTypeListed: [Exclude<ModuleType, ChainModule["type"]>] extends [never] ? true : false = true;
void everyTypeListed;
