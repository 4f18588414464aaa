import { describe, expect, it } from "vitest";
import { createModule } from "./createModule.ts";
import { ChainError, type ChainIssue } from "./errors.ts";
import { defaultParams } from "./moduleSpecs.ts";
import { parseChain, safeParseChain } from "./parseChain.ts";
import { presetChain } from "./presets.ts";

const chain = (...modules: unknown[]) => ({ schemaVersion: 1, modules });
const lim = (params: Record<string, unknown> = {}, id = "lim") => ({ id, type: "limiter", params });

/** The ChainError that parsing `json` throws. */
function errorOf(json: unknown): ChainError {
  const result = safeParseChain(json);
  if (result.success) throw new Error("expected the chain to be rejected");
  return result.error;
}

const only = (json: unknown): ChainIssue => {
  const { issues } = errorOf(json);
  expect(issues).toHaveLength(1);
  return issues[0]!;
};

describe("parseChain: valid input", () => {
  it("fills missing bypass, params and parameters with defaults", () => {
    const parsed = parseChain(
      chain({ id: "lim", type: "limiter", params: { ceilingDbtp: -0.3 } }, { id: "eq", type: "eq" }),
    );
    expect(parsed.modules[0]).toEqual({
      id: "lim",
      type: "limiter",
      bypass: false,
      params: { ...defaultParams("limiter"), ceilingDbtp: -0.3 },
    });
    expect(parsed.modules[1]!.params).toEqual(defaultParams("eq"));
  });

  it("accepts an empty chain and the edges of every range", () => {
    expect(parseChain(chain())).toEqual({ schemaVersion: 1, modules: [] });
    const edges = chain({ id: "l2", type: "loudness", params: { targetLufs: -5 } }, lim({ ceilingDbtp: -12 }));
    expect(parseChain(edges).modules[1]!.params).toMatchObject({ ceilingDbtp: -12 });
    expect(() => parseChain(chain(lim({ ceilingDbtp: 0 })))).not.toThrow();
  });

  it("round-trips through JSON exactly, and parsing is idempotent", () => {
    const parsed = parseChain(chain(lim({ ceilingDbtp: -0 }), { id: "mb", type: "multiband", bypass: true }));
    expect(Object.is((parsed.modules[0]!.params as { ceilingDbtp: number }).ceilingDbtp, 0)).toBe(true);
    expect(parseChain(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
    expect(parseChain(parsed)).toEqual(parsed);
    const preset = presetChain("loud");
    expect(parseChain(JSON.parse(JSON.stringify(preset)))).toEqual(preset);
  });

  it("does not modify its input", () => {
    const input = chain(lim());
    const copy = JSON.parse(JSON.stringify(input));
    parseChain(input);
    expect(input).toEqual(copy);
  });

  it("ignores a third multiband crossover that is not in use", () => {
    const mb = { id: "mb", type: "multiband", params: { bands: "3", crossover2Hz: 1000, crossover3Hz: 1000 } };
    expect(() => parseChain(chain(mb))).not.toThrow();
  });
});

describe("parseChain: messages name module, parameter and range", () => {
  it("out-of-range number", () => {
    const issue = only(chain(lim({ ceilingDbtp: 3 })));
    expect(issue).toEqual({
      code: "PARAM_OUT_OF_RANGE",
      message: 'module "lim" (limiter): ceilingDbtp = 3 is out of range \u221212\u20260 dBTP',
      path: ["modules", 0, "params", "ceilingDbtp"],
      moduleId: "lim",
      moduleType: "limiter",
      key: "ceilingDbtp",
    });
    expect(errorOf(chain(lim({ ceilingDbtp: 3 }))).code).toBe("PARAM_OUT_OF_RANGE");
    expect(only(chain({ id: "c", type: "compressor", params: { ratio: 0.5 } })).message).toBe(
      'module "c" (compressor): ratio = 0.5 is out of range 1:1\u202620:1',
    );
    expect(only(chain({ id: "t", type: "trim", params: { gainDb: -30 } })).message).toBe(
      'module "t" (trim): gainDb = \u221230 is out of range \u221224\u202624 dB',
    );
  });

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "\u2212Infinity"],
  ])("non-finite number %s", (value, shown) => {
    const issue = only(chain(lim({ releaseMs: value })));
    expect(issue.code).toBe("INVALID_PARAM");
    expect(issue.message).toBe(
      `module "lim" (limiter): releaseMs = ${shown} is not a finite number; allowed 1\u20261000 ms`,
    );
  });

  it("wrong types", () => {
    expect(only(chain(lim({ ceilingDbtp: "-1" }))).message).toBe(
      'module "lim" (limiter): ceilingDbtp must be a number in \u221212\u20260 dBTP, got string "-1"',
    );
    expect(only(chain(lim({ truePeak: 1 }))).message).toBe(
      'module "lim" (limiter): truePeak must be true or false, got number 1',
    );
    const out = { id: "out", type: "output", params: { bitDepth: 16 } };
    expect(only(chain(out))).toMatchObject({
      code: "INVALID_PARAM",
      message: 'module "out" (output): bitDepth must be one of "16", "24", "32f", got number 16',
    });
    const dither = { id: "out", type: "output", params: { dither: "triangular" } };
    expect(only(chain(dither)).message).toBe(
      'module "out" (output): dither = "triangular" is not one of "none", "tpdf", "tpdfShaped"',
    );
    expect(only(chain({ id: "x", type: "eq", bypass: "no" })).message).toBe(
      'module "x" (eq): bypass must be true or false, got string "no"',
    );
    expect(only(chain({ id: "x", type: "eq", params: [] })).message).toBe(
      'module "x" (eq): params must be an object, got an array',
    );
  });

  it("unknown module type", () => {
    const issue = only(chain({ id: "v", type: "vocoder" }));
    expect(issue.code).toBe("UNKNOWN_MODULE");
    expect(issue.message).toMatch(/^module "v" \(vocoder\): unknown module type "vocoder"; known: trim, highpass, eq/);
    expect(only(chain({ id: "v" })).message).toBe('module "v": type must be a module type name, got nothing');
  });

  it("unknown parameter key, with a hint", () => {
    const issue = only(chain(lim({ ceilingDBTP: -1 })));
    expect(issue).toMatchObject({
      code: "UNKNOWN_PARAM",
      key: "ceilingDBTP",
      path: ["modules", 0, "params", "ceilingDBTP"],
      message: 'module "lim" (limiter): unknown parameter "ceilingDBTP"; did you mean "ceilingDbtp"?',
    });
    expect(only(chain(lim({ knee: 3 }))).message).toBe(
      'module "lim" (limiter): unknown parameter "knee"; known: ceilingDbtp, releaseMs, lookaheadMs, truePeak, stereoLinkPct',
    );
    expect(only(chain({ ...lim(), name: "x" })).message).toBe(
      'module "lim" (limiter): unknown field "name"; a module has id, type, bypass and params',
    );
  });

  it("bad and duplicate ids", () => {
    expect(only(chain({ id: "a b", type: "trim" })).message).toBe(
      'modules[0] (trim): id must be 1\u201364 characters of A\u2013Z, a\u2013z, 0\u20139, _ or -, got "a b"',
    );
    expect(only(chain({ id: "x".repeat(65), type: "trim" })).code).toBe("INVALID_CHAIN");
    expect(only(chain({ type: "trim" })).message).toMatch(/^modules\[0\] \(trim\): id is missing/);
    const dup = only(chain({ id: "eq", type: "eq" }, { id: "c", type: "compressor" }, { id: "eq", type: "eq" }));
    expect(dup).toMatchObject({
      code: "DUPLICATE_ID",
      moduleId: "eq",
      path: ["modules", 2, "id"],
      message: 'module "eq" (eq) at modules[2] reuses the id of modules[0]; ids must be unique within a chain',
    });
  });

  it("too many modules", () => {
    const modules = Array.from({ length: 33 }, (_, i) => ({ id: `t${i}`, type: "trim" }));
    expect(only(chain(...modules))).toMatchObject({
      code: "TOO_MANY_MODULES",
      message: "the chain has 33 modules; at most 32 are allowed",
    });
    expect(() => parseChain(chain(...modules.slice(1)))).not.toThrow();
  });

  it("output not last", () => {
    const issue = only(chain({ id: "out", type: "output" }, lim()));
    expect(issue).toMatchObject({
      code: "INVALID_ORDER",
      moduleId: "out",
      message: 'module "out" (output) must be the last module (it is modules[0] of 2): it describes the exported file',
    });
  });

  it("two limiters", () => {
    const issue = only(chain(lim({}, "a"), lim({}, "b")));
    expect(issue).toMatchObject({
      code: "DUPLICATE_MODULE",
      moduleId: "b",
      message: 'module "b" (limiter): a chain can have only one limiter module, and module "a" (limiter) is one',
    });
  });

  it("loudness after limiter, fade before limiter", () => {
    expect(only(chain(lim(), { id: "loud", type: "loudness" })).message).toBe(
      'module "loud" (loudness) must come before module "lim" (limiter): the limiter has to catch the peaks the loudness gain creates',
    );
    expect(only(chain({ id: "f", type: "fade" }, lim())).message).toBe(
      'module "f" (fade) must come after module "lim" (limiter): limiting would reshape the fade',
    );
  });

  it("multiband crossovers too close", () => {
    const mb = { id: "mb", type: "multiband", params: { crossover1Hz: 500, crossover2Hz: 600 } };
    expect(only(chain(mb))).toMatchObject({
      code: "PARAM_CONFLICT",
      key: "crossover2Hz",
      message:
        'module "mb" (multiband): crossover2Hz = 600 Hz must be at least half an octave above crossover1Hz = 500 Hz, i.e. \u2265 707.2 Hz',
    });
  });

  it("unsupported schemaVersion", () => {
    expect(only({ schemaVersion: 2, modules: [] })).toMatchObject({
      code: "UNSUPPORTED_VERSION",
      message: "schemaVersion 2 is newer than this build understands (1); update the application",
    });
    expect(only({ schemaVersion: 0, modules: [] }).code).toBe("UNSUPPORTED_VERSION");
    expect(only({ schemaVersion: "1", modules: [] })).toMatchObject({ code: "INVALID_CHAIN" });
    expect(only({ modules: [] }).message).toMatch(/no schemaVersion/);
  });

  it.each([null, undefined, 42, "chain", [], true])("not an object: %s", (json) => {
    expect(only(json)).toMatchObject({ code: "INVALID_CHAIN", path: [] });
    expect(() => parseChain(json)).toThrow(/^a chain must be an object with schemaVersion and modules, got /);
  });

  it("document-level shape errors", () => {
    expect(only({ schemaVersion: 1 }).message).toBe("modules must be an array of modules, got nothing");
    expect(only({ schemaVersion: 1, modules: [], name: "x" }).message).toBe(
      'unknown field "name" in the chain; a chain has schemaVersion and modules',
    );
    expect(only(chain(7)).message).toBe("modules[0]: must be an object with id, type, bypass and params, got number 7");
  });
});

describe("ChainError", () => {
  it("lists every issue in document order, rule issues last (in module order), deterministically", () => {
    const bad = chain(
      lim({ ceilingDbtp: 5, truePeak: "yes", zz: 1, aa: 2 }),
      { id: "out", type: "output", params: { dither: "x" } },
      lim({}, "lim"),
    );
    const error = errorOf(bad);
    expect(error).toBeInstanceOf(ChainError);
    expect(error.name).toBe("ChainError");
    expect(error.code).toBe("PARAM_OUT_OF_RANGE");
    expect(error.issues.map((i) => [i.code, i.key ?? null])).toEqual([
      ["PARAM_OUT_OF_RANGE", "ceilingDbtp"],
      ["INVALID_PARAM", "truePeak"],
      ["UNKNOWN_PARAM", "aa"],
      ["UNKNOWN_PARAM", "zz"],
      ["INVALID_PARAM", "dither"],
      ["INVALID_ORDER", null],
      ["DUPLICATE_ID", null],
      ["DUPLICATE_MODULE", null],
    ]);
    expect(error.message.split("\n")).toHaveLength(8);
    expect(errorOf(bad).message).toBe(error.message);
  });

  it("parseChain throws what safeParseChain returns", () => {
    expect(() => parseChain(chain(lim({ ceilingDbtp: 3 })))).toThrow(ChainError);
    expect(safeParseChain(chain(lim()))).toMatchObject({ success: true, data: { modules: [{ id: "lim" }] } });
  });

  it("createModule reports with the same messages", () => {
    expect(createModule("limiter", "lim", { ceilingDbtp: -0.3 }).params.ceilingDbtp).toBe(-0.3);
    expect(createModule("reverb", "verb", {}, { bypass: true }).bypass).toBe(true);
    expect(() => createModule("limiter", "lim", { ceilingDbtp: 1 })).toThrow(
      'module "lim" (limiter): ceilingDbtp = 1 is out of range \u221212\u20260 dBTP',
    );
    expect(() => createModule("nope" as "trim", "x")).toThrow(/unknown module type "nope"/);
    expect(() => createModule("trim", "")).toThrow(/id is|id must be/);
  });
});
