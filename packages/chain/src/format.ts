/**
 * Wording shared by error messages and the UI: numbers with a real minus sign, ranges with their
 * unit, and how to name a module.
 */
import { isModuleId } from "./moduleId.ts";
import type { NumberParamSpec, ParamSpec, Unit } from "./paramSpec.ts";

/** `-12` → `"−12"` (U+2212, the typographic minus). Non-finite values are spelled `NaN`, `Infinity`, `−Infinity`. */
export function formatNumber(n: number): string {
  return String(n).replace(/^-/, "\u2212");
}

/** `text` followed by its unit as the UI writes it: `−1 dBTP`, `4:1`, `2×`. */
export function withUnit(text: string, unit: Unit): string {
  switch (unit) {
    case "":
      return text;
    case "ratio":
      return `${text}:1`;
    case "x":
      return `${text}\u00d7`;
    default:
      return `${text} ${unit}`;
  }
}

/** A value as the UI shows it: `−1 dBTP`, `4:1`, `100 %`, `"lowShelf"` → `Low shelf` (the option's label), `true` → `on`. */
export function formatParamValue(spec: ParamSpec, value: number | string | boolean): string {
  if (typeof value === "number")
    return spec.kind === "number" ? withUnit(formatNumber(value), spec.unit) : formatNumber(value);
  if (typeof value === "boolean") return value ? "on" : "off";
  if (spec.kind === "enum") return (spec.optionLabels as Record<string, string> | undefined)?.[value] ?? value;
  return value;
}

/** The allowed range of a numeric parameter: `−12…0 dBTP`, `1:1…20:1`. */
export function formatRange(spec: NumberParamSpec): string {
  if (spec.unit === "ratio" || spec.unit === "x") {
    return `${withUnit(formatNumber(spec.min), spec.unit)}\u2026${withUnit(formatNumber(spec.max), spec.unit)}`;
  }
  return withUnit(`${formatNumber(spec.min)}\u2026${formatNumber(spec.max)}`, spec.unit);
}

/** The options of a choice parameter, quoted: `"none", "tpdf", "tpdfShaped"`. */
export function formatOptions(options: readonly string[]): string {
  return options.map((o) => JSON.stringify(o)).join(", ");
}

/**
 * Any value, for a message: its JSON-ish spelling with its type when that helps
 * (`string "3"`, `number 16`, `null`, `an array`, `an object`). Never throws.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "undefined":
      return "nothing";
    case "string":
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
      return `number ${formatNumber(value)}`;
    case "bigint":
      return `bigint ${value}n`;
    case "boolean":
      return `boolean ${value}`;
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/**
 * How messages name a module: `module "lim" (limiter)` when it has a valid id, else by position,
 * `modules[3] (limiter)`; the type is left out when it is not a string.
 */
export function describeModule(id: unknown, type: unknown, index: number): string {
  const name = isModuleId(id) ? `module ${JSON.stringify(id)}` : `modules[${index}]`;
  if (typeof type !== "string") return name;
  return `${name} (${type.length > 40 ? `${type.slice(0, 40)}\u2026` : type})`;
}
