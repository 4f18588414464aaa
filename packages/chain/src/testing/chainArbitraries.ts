/**
 * fast-check arbitraries derived from `MODULE_SPECS`: random valid parameter values, modules and
 * whole chains (respecting every rule), for property tests here and in other packages' tests.
 * Test-only: it imports fast-check, so `index.ts` does not export it.
 */
import fc from "fast-check";
import { MIN_CROSSOVER_RATIO } from "../bandSpecs.ts";
import { MAX_MODULES } from "../chainRules.ts";
import { CURRENT_SCHEMA_VERSION } from "../migrate.ts";
import { MODULE_SPECS, type ModuleType } from "../moduleSpecs.ts";
import type { NumberParamSpec, ParamSpec, ParamValue } from "../paramSpec.ts";

/** A valid value for `spec`: any finite number in range (edges and −0 included), an option, a boolean. */
export function arbParamValue(spec: ParamSpec): fc.Arbitrary<ParamValue> {
  switch (spec.kind) {
    case "number":
      return fc.oneof(
        fc.double({ min: spec.min, max: spec.max, noNaN: true }),
        fc.constantFrom(spec.min, spec.max, spec.default),
      );
    case "enum":
      return fc.constantFrom(...spec.options);
    case "boolean":
      return fc.boolean();
  }
}

const specsOf = (type: ModuleType): readonly ParamSpec[] => MODULE_SPECS[type].params;
const numberSpec = (type: ModuleType, key: string) => specsOf(type).find((s) => s.key === key) as NumberParamSpec;

/** Multiband crossovers rising by at least half an octave each (always possible within their ranges). */
function arbCrossovers(): fc.Arbitrary<Record<string, number>> {
  const [c1, c2, c3] = ["crossover1Hz", "crossover2Hz", "crossover3Hz"].map((k) => numberSpec("multiband", k)) as [
    NumberParamSpec,
    NumberParamSpec,
    NumberParamSpec,
  ];
  const above = (spec: NumberParamSpec, lower: number) =>
    fc.double({ min: Math.max(spec.min, lower * MIN_CROSSOVER_RATIO), max: spec.max, noNaN: true });
  return fc
    .double({ min: c1.min, max: c1.max, noNaN: true })
    .chain((f1) =>
      above(c2, f1).chain((f2) => above(c3, f2).map((f3) => ({ [c1.key]: f1, [c2.key]: f2, [c3.key]: f3 }))),
    );
}

/** Complete, valid params of a module type. */
export function arbParams(type: ModuleType): fc.Arbitrary<Record<string, ParamValue>> {
  const record = fc.record(Object.fromEntries(specsOf(type).map((s) => [s.key, arbParamValue(s)])));
  if (type !== "multiband") return record;
  return fc.tuple(record, arbCrossovers()).map(([params, crossovers]) => ({ ...params, ...crossovers }));
}

/** Valid module ids. */
export const arbModuleId: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);

/** A complete module of `type` with id `id`. */
export function arbModule(type: ModuleType, id: string) {
  return fc.record({ id: fc.constant(id), type: fc.constant(type), bypass: fc.boolean(), params: arbParams(type) });
}

const FREE_TYPES = [
  "trim",
  "highpass",
  "eq",
  "compressor",
  "multiband",
  "saturation",
  "imager",
  "deesser",
  "reverb",
] as const;

/**
 * Module types in an order every rule accepts: loudness before the limiter, fades after it, output
 * last, at most one of each of those three, at most `MAX_MODULES` in all.
 */
export const arbModuleTypes: fc.Arbitrary<ModuleType[]> = fc
  .record({
    free: fc.array(fc.constantFrom(...FREE_TYPES), { maxLength: MAX_MODULES - 6 }),
    loudness: fc.boolean(),
    limiter: fc.boolean(),
    fades: fc.integer({ min: 0, max: 2 }),
    output: fc.boolean(),
    spots: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  })
  .map(({ free, loudness, limiter, fades, output, spots }) => {
    const types: ModuleType[] = [...free];
    const insertAfter = (from: number, type: ModuleType, spot: number) => {
      const at = from + (spot % (types.length - from + 1));
      types.splice(at, 0, type);
      return at;
    };
    let after = 0;
    if (loudness) after = insertAfter(0, "loudness", spots[0]!) + 1;
    if (limiter) after = insertAfter(after, "limiter", spots[1]!) + 1;
    for (let i = 0; i < fades; i++) insertAfter(limiter ? after : 0, "fade", spots[2 + i]!);
    if (output) types.push("output");
    return types;
  });

/** A complete, valid chain document (every parameter present, as JSON would carry it). */
export const arbChain = arbModuleTypes.chain((types) =>
  fc
    .uniqueArray(arbModuleId, { minLength: types.length, maxLength: types.length })
    .chain((ids) => fc.tuple(...types.map((type, i) => arbModule(type, ids[i]!))))
    .map((modules) => ({ schemaVersion: CURRENT_SCHEMA_VERSION, modules })),
);
