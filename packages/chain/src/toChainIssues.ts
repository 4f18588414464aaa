/**
 * Turns zod's issues into `ChainIssue`s whose messages a person can act on: each names the module
 * (id and type), the parameter, the value and the allowed range with its unit, e.g.
 * `module "lim" (limiter): ceilingDbtp = 3 is out of range −12…0 dBTP`.
 *
 * The wording is derived from the document and the parameter specs, not from zod's own messages,
 * so it stays the same across zod versions.
 */
import type * as z from "zod";
import type { ChainErrorCode, ChainIssue } from "./errors.ts";
import { describeModule, describeValue, formatNumber, formatOptions, formatRange } from "./format.ts";
import { findParamSpec, isModuleType, MODULE_SPECS, MODULE_TYPES } from "./moduleSpecs.ts";
import type { ParamSpec } from "./paramSpec.ts";
import { CHAIN_CODE } from "./schema.ts";

type Path = readonly (string | number)[];
type Problem = { code: ChainErrorCode; message: string; key?: string };

function own(obj: unknown, key: string | number): unknown {
  if (typeof obj !== "object" || obj === null || !Object.hasOwn(obj, key)) return undefined;
  return (obj as Record<string | number, unknown>)[key];
}

/** What is wrong with `value` for `spec`. */
export function paramProblem(spec: ParamSpec, value: unknown): Problem {
  const { key } = spec;
  switch (spec.kind) {
    case "number": {
      const range = formatRange(spec);
      if (typeof value !== "number") {
        return { code: "INVALID_PARAM", message: `${key} must be a number in ${range}, got ${describeValue(value)}` };
      }
      if (!Number.isFinite(value)) {
        return {
          code: "INVALID_PARAM",
          message: `${key} = ${formatNumber(value)} is not a finite number; allowed ${range}`,
        };
      }
      return { code: "PARAM_OUT_OF_RANGE", message: `${key} = ${formatNumber(value)} is out of range ${range}` };
    }
    case "enum": {
      const options = formatOptions(spec.options);
      return typeof value === "string"
        ? { code: "INVALID_PARAM", message: `${key} = ${JSON.stringify(value)} is not one of ${options}` }
        : { code: "INVALID_PARAM", message: `${key} must be one of ${options}, got ${describeValue(value)}` };
    }
    case "boolean":
      return { code: "INVALID_PARAM", message: `${key} must be true or false, got ${describeValue(value)}` };
  }
}

function unknownKeys(issue: z.core.$ZodIssue): string[] {
  return issue.code === "unrecognized_keys" ? [...issue.keys].sort() : [];
}

function customCode(issue: z.core.$ZodIssue): ChainErrorCode | undefined {
  return issue.code === "custom" ? (issue.params?.[CHAIN_CODE] as ChainErrorCode | undefined) : undefined;
}

function unknownParam(type: string, key: string): string {
  const specs: readonly ParamSpec[] = isModuleType(type) ? MODULE_SPECS[type].params : [];
  const near = specs.find((s) => s.key.toLowerCase() === key.toLowerCase());
  const hint = near ? `did you mean ${JSON.stringify(near.key)}?` : `known: ${specs.map((s) => s.key).join(", ")}`;
  return `unknown parameter ${JSON.stringify(key)}; ${hint}`;
}

/** Issues about one module: `rest` is the path inside `modules[index]`. */
function moduleProblems(issue: z.core.$ZodIssue, mod: unknown, rest: Path): Problem[] {
  const type = own(mod, "type");
  const field = rest[0];
  if (field === undefined) {
    if (typeof mod !== "object" || mod === null || Array.isArray(mod)) {
      return [
        {
          code: "INVALID_CHAIN",
          message: `must be an object with id, type, bypass and params, got ${describeValue(mod)}`,
        },
      ];
    }
    return unknownKeys(issue).map((k) => ({
      code: "INVALID_CHAIN",
      message: `unknown field ${JSON.stringify(k)}; a module has id, type, bypass and params`,
    }));
  }
  if (field === "type") {
    if (typeof type !== "string") {
      return [{ code: "INVALID_CHAIN", message: `type must be a module type name, got ${describeValue(type)}` }];
    }
    return [
      {
        code: "UNKNOWN_MODULE",
        message: `unknown module type ${JSON.stringify(type)}; known: ${MODULE_TYPES.join(", ")}`,
      },
    ];
  }
  if (field === "id") {
    const id = own(mod, "id");
    const rule = "1\u201364 characters of A\u2013Z, a\u2013z, 0\u20139, _ or -";
    if (id === undefined) return [{ code: "INVALID_CHAIN", message: `id is missing; an id is ${rule}` }];
    const shown = typeof id === "string" ? JSON.stringify(id) : describeValue(id);
    return [{ code: "INVALID_CHAIN", message: `id must be ${rule}, got ${shown}` }];
  }
  if (field === "bypass") {
    return [
      { code: "INVALID_CHAIN", message: `bypass must be true or false, got ${describeValue(own(mod, "bypass"))}` },
    ];
  }
  if (field === "params" && rest.length === 1) {
    const params = own(mod, "params");
    if (issue.code === "unrecognized_keys") {
      return unknownKeys(issue).map((k) => ({ code: "UNKNOWN_PARAM", message: unknownParam(String(type), k), key: k }));
    }
    return [{ code: "INVALID_CHAIN", message: `params must be an object, got ${describeValue(params)}` }];
  }
  if (field === "params" && typeof rest[1] === "string") {
    const spec = findParamSpec(String(type), rest[1]);
    if (spec) return [paramProblem(spec, own(own(mod, "params"), rest[1]))];
  }
  return [{ code: "INVALID_CHAIN", message: `${rest.join(".")}: ${issue.message}` }];
}

function rootProblems(issue: z.core.$ZodIssue, doc: unknown): Problem[] {
  const [field] = issue.path;
  if (field === undefined) {
    const keys = unknownKeys(issue);
    if (keys.length > 0) {
      return keys.map((k) => ({
        code: "INVALID_CHAIN",
        message: `unknown field ${JSON.stringify(k)} in the chain; a chain has schemaVersion and modules`,
      }));
    }
    return [{ code: "INVALID_CHAIN", message: `a chain must be an object, got ${describeValue(doc)}` }];
  }
  if (field === "modules") {
    const modules = own(doc, "modules");
    if (issue.code === "too_big" && Array.isArray(modules)) {
      return [
        {
          code: "TOO_MANY_MODULES",
          message: `the chain has ${modules.length} modules; at most ${issue.maximum} are allowed`,
        },
      ];
    }
    return [{ code: "INVALID_CHAIN", message: `modules must be an array of modules, got ${describeValue(modules)}` }];
  }
  if (field === "schemaVersion") {
    const v = own(doc, "schemaVersion");
    return [{ code: "UNSUPPORTED_VERSION", message: `schemaVersion ${describeValue(v)} is not supported` }];
  }
  return [{ code: "INVALID_CHAIN", message: `${issue.path.join(".")}: ${issue.message}` }];
}

interface ModuleRef {
  name: string;
  moduleId?: string;
  moduleType?: string;
}

/** How to name `modules[index]` of `doc` in a message, and its id and type when they are strings. */
function moduleRef(doc: unknown, index: number): ModuleRef {
  const mod = own(own(doc, "modules"), index);
  const id = own(mod, "id");
  const type = own(mod, "type");
  return defined({
    name: describeModule(id, type, index),
    moduleId: typeof id === "string" ? id : undefined,
    moduleType: typeof type === "string" ? type : undefined,
  }) as ModuleRef;
}

/**
 * Converts the issues of `Chain.safeParse(doc)` into chain issues, in document order (zod reports
 * fields in schema order; unknown keys are sorted), followed by the chain-wide rules.
 */
export function toChainIssues(issues: readonly z.core.$ZodIssue[], doc: unknown): ChainIssue[] {
  const out: ChainIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as Path;
    const [head, index, field, param] = path;
    const code = customCode(issue);
    const inModule = head === "modules" && typeof index === "number" && path.length > 2;
    if (code && inModule && field === "params") {
      // A rule over one module's params (multiband crossovers): its message names the parameter.
      const { name, ...ref } = moduleRef(doc, index);
      out.push({ code, message: `${name}: ${issue.message}`, path, ...ref, ...defined({ key: asString(param) }) });
    } else if (code) {
      // A chain-wide rule: its message already names the module(s).
      const { moduleId, moduleType } = (issue.code === "custom" ? (issue.params ?? {}) : {}) as {
        moduleId?: string;
        moduleType?: string;
      };
      out.push({ code, message: issue.message, path, ...defined({ moduleId, moduleType }) });
    } else if (head === "modules" && typeof index === "number") {
      const { name, ...ref } = moduleRef(doc, index);
      const mod = own(own(doc, "modules"), index);
      for (const p of moduleProblems(issue, mod, path.slice(2))) {
        const key = p.key ?? (field === "params" ? asString(param) : undefined);
        out.push({
          code: p.code,
          message: `${name}: ${p.message}`,
          path: p.key === undefined ? path : [...path, p.key],
          ...ref,
          ...defined({ key }),
        });
      }
    } else {
      for (const p of rootProblems(issue, doc)) out.push({ code: p.code, message: p.message, path });
    }
  }
  return out;
}

const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The entries of `o` that are not undefined (so optional fields are absent, not `undefined`). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
