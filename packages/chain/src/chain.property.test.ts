import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChainError, type ChainErrorCode } from "./errors.ts";
import { MODULE_SPECS, MODULE_TYPES } from "./moduleSpecs.ts";
import type { ParamSpec } from "./paramSpec.ts";
import { parseChain, safeParseChain } from "./parseChain.ts";
import { arbChain, arbModuleId, arbParams } from "./testing/chainArbitraries.ts";

const CODES: readonly ChainErrorCode[] = [
  "INVALID_CHAIN",
  "UNSUPPORTED_VERSION",
  "UNKNOWN_MODULE",
  "UNKNOWN_PARAM",
  "INVALID_PARAM",
  "PARAM_OUT_OF_RANGE",
  "PARAM_CONFLICT",
  "DUPLICATE_ID",
  "DUPLICATE_MODULE",
  "TOO_MANY_MODULES",
  "INVALID_ORDER",
];

const jsonCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe("property: valid chains built from the specs", () => {
  it("always parse, unchanged, and survive a JSON round trip", () => {
    fc.assert(
      fc.property(arbChain, (chain) => {
        const parsed = parseChain(chain);
        expect(parsed).toEqual(jsonCopy(chain)); // JSON turns −0 into 0, as parsing does
        expect(parseChain(jsonCopy(parsed))).toEqual(parsed);
      }),
      { numRuns: 200 },
    );
  });

  it("fill every left-out parameter with its default", () => {
    const arb = fc
      .constantFrom(...MODULE_TYPES.filter((t) => t !== "multiband"))
      .chain((type) =>
        fc.record({ type: fc.constant(type), id: arbModuleId, params: arbParams(type), keep: fc.array(fc.boolean()) }),
      );
    fc.assert(
      fc.property(arb, ({ type, id, params, keep }) => {
        const partial = Object.fromEntries(Object.entries(params).filter((_, i) => keep[i] ?? false));
        const [module] = parseChain({ schemaVersion: 1, modules: [{ id, type, params: partial }] }).modules;
        for (const spec of MODULE_SPECS[type].params as readonly ParamSpec[]) {
          const expected = spec.key in partial ? partial[spec.key] : spec.default;
          expect(module!.params).toHaveProperty(spec.key, expected === 0 ? 0 : expected);
        }
        expect(module!.bypass).toBe(false);
      }),
    );
  });
});

type Json = unknown;
type Container = Record<string, Json> | Json[];

const isPlain = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** Every place in the plain (JSON-like) part of a value: [container, key] pairs, the root excluded. */
function places(root: Json): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push([v, i]);
        walk(item);
      });
    } else if (isPlain(v)) {
      for (const [k, item] of Object.entries(v)) {
        out.push([v, k]);
        walk(item);
      }
    }
  };
  walk(root);
  return out;
}

const weird = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1e308, "", "1", null),
  fc.anything({
    withBigInt: true,
    withNullPrototype: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
  fc.double(),
  fc.constantFrom(...MODULE_TYPES, "vocoder", "__proto__", "constructor", "toString"),
);

const mutation = fc.oneof(
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: weird }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("add" as const), at: fc.nat(), key: fc.string(), value: weird }),
  fc.record({ op: fc.constant("scale" as const), at: fc.nat(), factor: fc.constantFrom(-1, 0.5, 2, 10, 1000) }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant("root" as const), value: weird }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(doc: Record<string, Json>, m: Mutation): Json {
  const modules = Array.isArray(doc.modules) ? doc.modules : [];
  const all = places(doc);
  if (m.op === "root") return m.value;
  if (all.length === 0) return doc;
  const [where, key] = all[("at" in m ? m.at : 0) % all.length]!;
  const target = where as Record<string | number, Json>;
  switch (m.op) {
    case "set":
      target[key] = m.value;
      return doc;
    case "delete":
      if (Array.isArray(where)) where.splice(key as number, 1);
      else delete target[key];
      return doc;
    case "add":
      if (typeof target[key] === "object" && target[key] !== null) {
        Object.defineProperty(target[key], m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else target[m.key] = m.value;
      return doc;
    case "scale":
      if (typeof target[key] === "number") target[key] = (target[key] as number) * m.factor;
      return doc;
    case "duplicate":
      if (modules.length > 0) modules.push(modules[m.at % modules.length]); // shared: the copy sees later edits too
      return doc;
    case "swap":
      if (modules.length > 1) {
        const [i, j] = [m.a % modules.length, m.b % modules.length];
        [modules[i], modules[j]] = [modules[j], modules[i]];
      }
      return doc;
  }
}

describe("property: mutated chains", () => {
  it("either parse or throw a ChainError whose messages name the module", () => {
    fc.assert(
      fc.property(arbChain, fc.array(mutation, { minLength: 1, maxLength: 3 }), (chain, mutations) => {
        let doc: Json = jsonCopy(chain);
        for (const m of mutations) {
          if (!isPlain(doc)) break;
          doc = mutate(doc, m);
        }
        let result: ReturnType<typeof safeParseChain>;
        try {
          result = safeParseChain(doc);
        } catch (e) {
          throw new Error(`safeParseChain threw ${String(e)}`);
        }
        if (result.success) {
          expect(parseChain(jsonCopy(result.data))).toEqual(result.data);
          return;
        }
        const { error } = result;
        expect(error).toBeInstanceOf(ChainError);
        expect(error.issues.length).toBeGreaterThan(0);
        expect(error.code).toBe(error.issues[0]!.code);
        for (const issue of error.issues) {
          expect(CODES).toContain(issue.code);
          expect(issue.message.length).toBeGreaterThan(0);
          if (issue.path[0] === "modules" && typeof issue.path[1] === "number") {
            expect(issue.message).toMatch(/^(module "|modules\[)/);
          }
        }
        expect(safeParseChain(doc)).toEqual(result); // deterministic
      }),
      { numRuns: 500 },
    );
  });
});
