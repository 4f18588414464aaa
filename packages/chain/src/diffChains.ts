/**
 * What changed between two chains, module by module and parameter by parameter (for version
 * history: "limiter ceiling −1 → −0.3 dBTP").
 */
import type { ModuleType } from "./moduleSpecs.ts";
import type { ParamValue } from "./paramSpec.ts";
import type { Chain, ChainModule } from "./schema.ts";

/**
 * One change. Positions (`from`/`to` of `added`, `removed`, `moved`) are indices in the old and new
 * module lists. A module whose type changed under the same id is reported as removed and added.
 */
export type ChainChange =
  | { kind: "added"; moduleId: string; type: ModuleType; to: number }
  | { kind: "removed"; moduleId: string; type: ModuleType; from: number }
  | { kind: "moved"; moduleId: string; type: ModuleType; from: number; to: number }
  | { kind: "bypass"; moduleId: string; type: ModuleType; from: boolean; to: boolean }
  | { kind: "param"; moduleId: string; type: ModuleType; key: string; from: ParamValue; to: ParamValue };

/** Ids of the longest common subsequence of `a` and `b` (the modules that kept their relative order). */
function stableIds(a: readonly string[], b: readonly string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const len = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function paramChanges(before: ChainModule, after: ChainModule): ChainChange[] {
  const from = before.params as Record<string, ParamValue>;
  const to = after.params as Record<string, ParamValue>;
  const keys = [...Object.keys(to), ...Object.keys(from).filter((k) => !Object.hasOwn(to, k))];
  const changes: ChainChange[] = [];
  for (const key of keys) {
    if (!Object.is(from[key], to[key])) {
      changes.push({ kind: "param", moduleId: after.id, type: after.type, key, from: from[key]!, to: to[key]! });
    }
  }
  return changes;
}

/**
 * The changes that turn chain `a` into chain `b`, in a stable order: removed modules (in `a`'s
 * order), then for each module of `b` in order: `added`, or `moved` (only modules that left the
 * longest run of modules keeping their relative order, so moving one module reports one move),
 * `bypass`, and `param` changes in parameter order. Both chains should be parsed (every parameter
 * present); identical chains give `[]`.
 */
export function diffChains(a: Chain, b: Chain): ChainChange[] {
  const sameModule = (m: ChainModule, other: ChainModule | undefined) => other !== undefined && other.type === m.type;
  const inA = new Map(a.modules.map((m, i) => [m.id, { m, i }]));
  const inB = new Map(b.modules.map((m, i) => [m.id, { m, i }]));
  const changes: ChainChange[] = [];
  a.modules.forEach((m, i) => {
    if (!sameModule(m, inB.get(m.id)?.m)) changes.push({ kind: "removed", moduleId: m.id, type: m.type, from: i });
  });
  const common = (list: readonly ChainModule[], other: Map<string, { m: ChainModule }>) =>
    list.filter((m) => sameModule(m, other.get(m.id)?.m)).map((m) => m.id);
  const kept = stableIds(common(a.modules, inB), common(b.modules, inA));
  b.modules.forEach((m, j) => {
    const old = inA.get(m.id);
    if (!old || !sameModule(m, old.m)) {
      changes.push({ kind: "added", moduleId: m.id, type: m.type, to: j });
      return;
    }
    if (!kept.has(m.id)) changes.push({ kind: "moved", moduleId: m.id, type: m.type, from: old.i, to: j });
    if (old.m.bypass !== m.bypass)
      changes.push({ kind: "bypass", moduleId: m.id, type: m.type, from: old.m.bypass, to: m.bypass });
    changes.push(...paramChanges(old.m, m));
  });
  return changes;
}
