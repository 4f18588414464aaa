/**
 * `diffChains` in words, for version history: "Limiter · Ceiling −1.0 → −0.3 dBTP",
 * "Added De-esser", "Moved Equalizer 2 → 1", "Bypassed Saturation". Labels and units come from the
 * module and parameter specs; positions are 1-based as people count them.
 */
import { type ChainChange, diffChains } from "./diffChains.ts";
import { formatNumber, formatParamValue, withUnit } from "./format.ts";
import { findParamSpec, MODULE_SPECS, type ModuleType } from "./moduleSpecs.ts";
import type { ParamSpec, ParamValue } from "./paramSpec.ts";
import type { Chain } from "./schema.ts";

/** Decimals a step implies: 0.1 → 1, 0.01 → 2, 1 → 0. */
function stepDecimals(step: number | undefined): number | null {
  if (step === undefined) return null;
  const text = String(step);
  return text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
}

/** A number to its step's precision, with a real minus sign: −1 at step 0.1 → "−1.0". */
function numberText(value: number, step: number | undefined): string {
  const digits = stepDecimals(step);
  if (digits === null) return formatNumber(value);
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? "\u2212" : ""}${text}`;
}

function formatValue(spec: ParamSpec | undefined, value: ParamValue, unit: boolean): string {
  if (!spec) return typeof value === "number" ? formatNumber(value) : String(value);
  if (spec.kind !== "number" || typeof value !== "number") return formatParamValue(spec, value);
  const text = numberText(value, spec.step);
  return unit ? withUnit(text, spec.unit) : text;
}

/** "−1.0 → −0.3 dBTP", "2:1 → 4:1", "tape → tube", "on → off". */
export function describeParamChange(type: ModuleType, key: string, from: ParamValue, to: ParamValue): string {
  const spec = findParamSpec(type, key);
  const unitOnBoth = spec?.kind === "number" && (spec.unit === "ratio" || spec.unit === "x");
  return `${formatValue(spec, from, unitOnBoth)} \u2192 ${formatValue(spec, to, true)}`;
}

/**
 * How the lines name a module: its type's label, with its position among modules of the same type
 * when the chain holds more than one ("Equalizer 2").
 */
function moduleName(chain: Chain, moduleId: string, type: ModuleType): string {
  const label = MODULE_SPECS[type].label;
  const same = chain.modules.filter((m) => m.type === type);
  if (same.length < 2) return label;
  const n = same.findIndex((m) => m.id === moduleId);
  return n < 0 ? label : `${label} ${n + 1}`;
}

/** One change as a line; `a` and `b` are the chains it was computed from (for module names). */
export function describeChange(change: ChainChange, a: Chain, b: Chain): string {
  const name = moduleName(change.kind === "removed" ? a : b, change.moduleId, change.type);
  switch (change.kind) {
    case "added":
      return `Added ${name}`;
    case "removed":
      return `Removed ${name}`;
    case "moved":
      return `Moved ${name} ${change.from + 1} \u2192 ${change.to + 1}`;
    case "bypass":
      return `${change.to ? "Bypassed" : "Enabled"} ${name}`;
    case "param": {
      const label = findParamSpec(change.type, change.key)?.label ?? change.key;
      return `${name} \u00b7 ${label} ${describeParamChange(change.type, change.key, change.from, change.to)}`;
    }
  }
}

/** The changes from `a` to `b` and their lines, in `diffChains` order. */
export function describeChanges(a: Chain, b: Chain): { changes: ChainChange[]; lines: string[] } {
  const changes = diffChains(a, b);
  return { changes, lines: changes.map((c) => describeChange(c, a, b)) };
}
