/**
 * Rules that span parameters or modules, beyond what each parameter's range can say. Each rule
 * returns issues with complete messages; `schema.ts` attaches them to the zod schema.
 */
import { MIN_CROSSOVER_RATIO } from "./bandSpecs.ts";
import type { ChainErrorCode } from "./errors.ts";
import { describeModule, formatNumber } from "./format.ts";
import { isModuleType, type ModuleParams, type ModuleType } from "./moduleSpecs.ts";

/** At most this many modules in one chain. */
export const MAX_MODULES = 32;

/** Module types a chain may hold at most once. */
export const SINGLE_MODULE_TYPES = ["loudness", "limiter", "output"] as const satisfies readonly ModuleType[];

/** An issue found by a rule; `path` is relative to the object the rule checked. */
export interface RuleIssue {
  code: ChainErrorCode;
  message: string;
  path: (string | number)[];
  moduleId?: string;
  moduleType?: string;
}

const hz = (n: number) => `${formatNumber(n)} Hz`;

/**
 * Multiband crossovers must rise by at least half an octave each (`MIN_CROSSOVER_RATIO`); only the
 * crossovers in use count (`crossover3Hz` is ignored with 3 bands). Messages name the parameter but
 * not the module: the caller knows which module it checked.
 */
export function crossoverIssues(p: ModuleParams<"multiband">): RuleIssue[] {
  const keys = ["crossover1Hz", "crossover2Hz", "crossover3Hz"] as const;
  const used = p.bands === "4" ? 3 : 2;
  const issues: RuleIssue[] = [];
  for (let i = 1; i < used; i++) {
    const lower = keys[i - 1]!;
    const upper = keys[i]!;
    const least = p[lower] * MIN_CROSSOVER_RATIO;
    if (p[upper] < least) {
      issues.push({
        code: "PARAM_CONFLICT",
        path: [upper],
        message: `${upper} = ${hz(p[upper])} must be at least half an octave above ${lower} = ${hz(p[lower])}, i.e. \u2265 ${hz(Math.ceil(least * 10) / 10)}`,
      });
    }
  }
  return issues;
}

interface Entry {
  index: number;
  id: string | undefined;
  type: ModuleType | undefined;
  name: string;
}

function entries(modules: unknown): Entry[] {
  if (!Array.isArray(modules)) return [];
  // Array.from, not map: holes in a sparse array are modules too (invalid ones).
  return Array.from(modules, (m: unknown, index) => {
    const o = typeof m === "object" && m !== null ? (m as Record<string, unknown>) : {};
    const id = typeof o.id === "string" ? o.id : undefined;
    const type = isModuleType(o.type) ? o.type : undefined;
    return { index, id, type, name: describeModule(id, type, index) };
  });
}

function issueAt(e: Entry, code: ChainErrorCode, message: string, path: (string | number)[] = []): RuleIssue {
  return {
    code,
    message,
    path: ["modules", e.index, ...path],
    ...(e.id === undefined ? {} : { moduleId: e.id }),
    ...(e.type === undefined ? {} : { moduleType: e.type }),
  };
}

/**
 * Rules of the module list as a whole: unique ids; at most one loudness, limiter and output;
 * loudness before the limiter (the limiter must catch the peaks the loudness gain creates); any fade
 * after the limiter (limiting would reshape the fade); output last (it describes the exported file).
 * Works on unvalidated input (it skips what it cannot read), so these issues are reported alongside
 * parameter issues. Issues come in module order.
 */
export function chainRuleIssues(modules: unknown): RuleIssue[] {
  const list = entries(modules);
  const issues: RuleIssue[] = [];
  const firstById = new Map<string, Entry>();
  for (const e of list) {
    if (e.id === undefined) continue;
    const first = firstById.get(e.id);
    if (first === undefined) firstById.set(e.id, e);
    else {
      issues.push(
        issueAt(
          e,
          "DUPLICATE_ID",
          `${e.name} at modules[${e.index}] reuses the id of modules[${first.index}]; ids must be unique within a chain`,
          ["id"],
        ),
      );
    }
  }
  const firstOf = (type: ModuleType) => list.find((e) => e.type === type);
  for (const type of SINGLE_MODULE_TYPES) {
    const all = list.filter((e) => e.type === type);
    for (const extra of all.slice(1)) {
      issues.push(
        issueAt(
          extra,
          "DUPLICATE_MODULE",
          `${extra.name}: a chain can have only one ${type} module, and ${all[0]!.name} is one`,
        ),
      );
    }
  }
  const loudness = firstOf("loudness");
  const limiter = firstOf("limiter");
  if (loudness && limiter && loudness.index > limiter.index) {
    issues.push(
      issueAt(
        loudness,
        "INVALID_ORDER",
        `${loudness.name} must come before ${limiter.name}: the limiter has to catch the peaks the loudness gain creates`,
      ),
    );
  }
  if (limiter) {
    for (const fade of list.filter((e) => e.type === "fade" && e.index < limiter.index)) {
      issues.push(
        issueAt(fade, "INVALID_ORDER", `${fade.name} must come after ${limiter.name}: limiting would reshape the fade`),
      );
    }
  }
  const output = firstOf("output");
  if (output && output.index !== list.length - 1) {
    issues.push(
      issueAt(
        output,
        "INVALID_ORDER",
        `${output.name} must be the last module (it is modules[${output.index}] of ${list.length}): it describes the exported file`,
      ),
    );
  }
  return issues.sort((a, b) => (a.path[1] as number) - (b.path[1] as number));
}
