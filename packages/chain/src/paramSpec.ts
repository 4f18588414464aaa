/**
 * Parameter specs: the one place where a parameter's name, label, unit, range and default live.
 * The zod schema (`schema.ts`), the UI controls and the error messages are all built from them.
 */

/** Units a numeric parameter can carry. `""` is a plain number (no unit shown). */
export type Unit = "dB" | "dBTP" | "LUFS" | "Hz" | "ms" | "s" | "%" | "ratio" | "x" | "";

/**
 * How a control maps its travel to the value: `log` for frequencies, times and ratios (equal travel
 * = equal ratio, so `min` must be > 0), `linear` for everything else.
 */
export type Scale = "linear" | "log";

/** A continuous parameter. Values are finite numbers in [`min`, `max`]; `step` is a UI hint only. */
export interface NumberParamSpec<K extends string = string> {
  readonly kind: "number";
  readonly key: K;
  readonly label: string;
  readonly unit: Unit;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly scale: Scale;
  readonly step?: number;
}

/** A choice among strings (numeric choices such as bit depths are strings too: `"16"`, `"24"`). */
export interface EnumParamSpec<K extends string = string, O extends readonly string[] = readonly string[]> {
  readonly kind: "enum";
  readonly key: K;
  readonly label: string;
  readonly options: O;
  readonly default: O[number];
  /** How the UI names each option ("lowShelf" → "Low shelf"); an option without one shows as it is stored. */
  readonly optionLabels?: Readonly<Partial<Record<O[number], string>>>;
}

/** An on/off switch. */
export interface BooleanParamSpec<K extends string = string> {
  readonly kind: "boolean";
  readonly key: K;
  readonly label: string;
  readonly default: boolean;
}

/** Any parameter spec; discriminated by `kind`. */
export type ParamSpec = NumberParamSpec | EnumParamSpec | BooleanParamSpec;

/** What a parameter holds. Params are flat key → value so each can be edited, synced and diffed alone. */
export type ParamValue = number | string | boolean;

/** The value type a spec describes: `number`, the union of its options, or `boolean`. */
export type ParamValueOf<S> = S extends { readonly kind: "number" }
  ? number
  : S extends { readonly kind: "enum"; readonly options: readonly (infer O)[] }
    ? O
    : S extends { readonly kind: "boolean" }
      ? boolean
      : never;

/** The params object a list of specs describes, e.g. `{ gainDb: number }`. */
export type ParamsOf<P extends readonly ParamSpec[]> = {
  [S in P[number] as S["key"]]: ParamValueOf<S>;
};

/** Range, default and control hints of a numeric parameter. `scale` defaults to `"linear"`. */
export interface NumberRange {
  min: number;
  max: number;
  default: number;
  scale?: Scale;
  step?: number;
}

/** Declares a numeric parameter. */
export function numberParam<const K extends string>(
  key: K,
  label: string,
  unit: Unit,
  range: NumberRange,
): NumberParamSpec<K> {
  const { min, max, default: def, scale = "linear", step } = range;
  return step === undefined
    ? { kind: "number", key, label, unit, min, max, default: def, scale }
    : { kind: "number", key, label, unit, min, max, default: def, scale, step };
}

/** Declares a choice parameter; `options` keep their literal types. */
export function enumParam<const K extends string, const O extends readonly [string, ...string[]]>(
  key: K,
  label: string,
  options: O,
  def: O[number],
  optionLabels?: Readonly<Partial<Record<O[number], string>>>,
): EnumParamSpec<K, O> {
  return optionLabels === undefined
    ? { kind: "enum", key, label, options, default: def }
    : { kind: "enum", key, label, options, default: def, optionLabels };
}

/** Declares an on/off parameter. */
export function booleanParam<const K extends string>(key: K, label: string, def: boolean): BooleanParamSpec<K> {
  return { kind: "boolean", key, label, default: def };
}
