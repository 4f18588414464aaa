import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_MODULES } from "../chainRules.ts";
import { ChainError } from "../errors.ts";
import { defaultParams } from "../moduleSpecs.ts";
import { presetChain } from "../presets.ts";
import { createChainDoc, docToChain, modulesOf, readChain } from "./chainDoc.ts";
import { addModule, applyPreset, moveModule, removeModule, restoreChain, setBypass, setParam } from "./editChain.ts";
import { createUndoManager } from "./undo.ts";

const ids = (doc: Y.Doc) => readChain(doc).modules.map((m) => m.id);
const paramOf = (doc: Y.Doc, id: string, key: string) =>
  (readChain(doc).modules.find((m) => m.id === id)!.params as Record<string, unknown>)[key];

/** Runs `edit`, expects a `ChainError` with `code` (and `message`), and checks the document did not change. */
function expectRefused(doc: Y.Doc, edit: () => void, code: string, message?: RegExp): void {
  const before = Y.encodeStateAsUpdate(doc);
  let error: unknown;
  try {
    edit();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ChainError);
  expect((error as ChainError).code).toBe(code);
  if (message) expect((error as ChainError).message).toMatch(message);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
}

/** Counts transactions and records their origins. */
function watch(doc: Y.Doc): unknown[] {
  const origins: unknown[] = [];
  doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
  return origins;
}

const streaming = () => createChainDoc(presetChain("streaming"));

describe("addModule", () => {
  it("adds a module with defaults at its usual place, in one transaction with the origin, and returns its id", () => {
    const doc = streaming();
    const origins = watch(doc);
    const id = addModule(doc, "trim", undefined, "alice");
    expect(origins).toEqual(["alice"]);
    expect(ids(doc)[0]).toBe(id);
    expect(id).toMatch(/^trim-[0-9a-z]+-1$/);
    expect(readChain(doc).modules[0]).toEqual({ id, type: "trim", bypass: false, params: { gainDb: 0 } });
    const eq2 = addModule(doc, "eq");
    expect(ids(doc).indexOf(eq2)).toBe(ids(doc).indexOf("eq") + 1);
  });

  it("adds at an explicit index and gives each new module a fresh id", () => {
    const doc = streaming();
    const a = addModule(doc, "reverb", 0);
    const b = addModule(doc, "reverb", 0);
    expect(a).not.toBe(b);
    expect(ids(doc).slice(0, 2)).toEqual([b, a]);
  });

  it("refuses what the chain rules do not allow, leaving the document unchanged", () => {
    const doc = streaming();
    expectRefused(doc, () => addModule(doc, "limiter"), "DUPLICATE_MODULE", /only one limiter/);
    expectRefused(doc, () => addModule(doc, "eq", 12), "INVALID_ORDER", /must be the last module/);
    expectRefused(doc, () => addModule(doc, "fade", 0), "INVALID_ORDER", /must come after/);
    expectRefused(doc, () => addModule(doc, "eq", 13), "INVALID_CHAIN", /outside 0…12/);
    expectRefused(doc, () => addModule(doc, "nope" as "eq"), "UNKNOWN_MODULE");
    while (modulesOf(doc).length < MAX_MODULES) addModule(doc, "eq");
    expectRefused(doc, () => addModule(doc, "eq"), "TOO_MANY_MODULES");
  });
});

describe("removeModule", () => {
  it("removes by id", () => {
    const doc = streaming();
    const origins = watch(doc);
    removeModule(doc, "reverb", "bob");
    expect(origins).toEqual(["bob"]);
    expect(ids(doc)).not.toContain("reverb");
    expect(ids(doc)).toHaveLength(11);
  });

  it("refuses an unknown id", () => {
    const doc = streaming();
    expectRefused(doc, () => removeModule(doc, "ghost"), "MODULE_NOT_FOUND", /no module with id "ghost"/);
  });
});

describe("moveModule", () => {
  it("moves a module (a fresh copy with the same id, type, bypass and params) in one transaction", () => {
    const doc = streaming();
    setParam(doc, "eq", "b3Gain", 2.5);
    const before = readChain(doc).modules.find((m) => m.id === "eq");
    const oldMap = modulesOf(doc).get(1);
    const origins = watch(doc);
    moveModule(doc, "eq", 3, "carol");
    expect(origins).toEqual(["carol"]);
    expect(ids(doc).slice(0, 4)).toEqual(["highpass", "compressor", "multiband", "eq"]);
    expect(readChain(doc).modules[3]).toEqual(before);
    expect(modulesOf(doc).get(3)).not.toBe(oldMap);
    moveModule(doc, "eq", 0);
    expect(ids(doc)[0]).toBe("eq");
  });

  it("does nothing when the module is already there", () => {
    const doc = streaming();
    const origins = watch(doc);
    moveModule(doc, "eq", 1);
    expect(origins).toEqual([]);
  });

  it("refuses moves that break the order rules, bad indices and unknown ids", () => {
    const doc = streaming();
    expectRefused(doc, () => moveModule(doc, "output", 0), "INVALID_ORDER", /output/);
    expectRefused(doc, () => moveModule(doc, "limiter", 2), "INVALID_ORDER", /loudness.*must come before/);
    expectRefused(doc, () => moveModule(doc, "eq", 12), "INVALID_CHAIN", /outside 0…11/);
    expectRefused(doc, () => moveModule(doc, "eq", -1), "INVALID_CHAIN");
    expectRefused(doc, () => moveModule(doc, "ghost", 0), "MODULE_NOT_FOUND");
  });
});

describe("setBypass", () => {
  it("sets and clears bypass, writing nothing when unchanged", () => {
    const doc = streaming();
    const origins = watch(doc);
    setBypass(doc, "reverb", false, "dan");
    expect(readChain(doc).modules.find((m) => m.id === "reverb")!.bypass).toBe(false);
    setBypass(doc, "reverb", false, "dan");
    setBypass(doc, "reverb", true, "dan");
    expect(readChain(doc).modules.find((m) => m.id === "reverb")!.bypass).toBe(true);
    expect(origins).toEqual(["dan", "dan"]);
  });

  it("refuses an unknown id and a non-boolean", () => {
    const doc = streaming();
    expectRefused(doc, () => setBypass(doc, "ghost", true), "MODULE_NOT_FOUND");
    expectRefused(doc, () => setBypass(doc, "eq", "yes" as unknown as boolean), "INVALID_CHAIN");
  });
});

describe("setParam", () => {
  it("sets numbers, enums and booleans in one transaction with the origin", () => {
    const doc = streaming();
    const origins = watch(doc);
    setParam(doc, "limiter", "ceilingDbtp", -0.3, "erin");
    setParam(doc, "output", "bitDepth", "16", "erin");
    setParam(doc, "limiter", "truePeak", false, "erin");
    setParam(doc, "eq", "b4Gain", -0);
    expect(origins).toEqual(["erin", "erin", "erin"]); // b4Gain was already 0 (−0 is stored as 0)
    expect(paramOf(doc, "limiter", "ceilingDbtp")).toBe(-0.3);
    expect(paramOf(doc, "output", "bitDepth")).toBe("16");
    expect(paramOf(doc, "limiter", "truePeak")).toBe(false);
    expect(Object.is(paramOf(doc, "eq", "b4Gain"), 0)).toBe(true);
  });

  it("accepts range edges", () => {
    const doc = streaming();
    setParam(doc, "limiter", "ceilingDbtp", -12);
    setParam(doc, "limiter", "ceilingDbtp", 0);
    expect(paramOf(doc, "limiter", "ceilingDbtp")).toBe(0);
  });

  it("refuses out-of-range, mistyped, unknown and conflicting values, naming module and parameter", () => {
    const doc = streaming();
    expectRefused(
      doc,
      () => setParam(doc, "limiter", "ceilingDbtp", 3),
      "PARAM_OUT_OF_RANGE",
      /module "limiter" \(limiter\): ceilingDbtp = 3 is out of range/,
    );
    expectRefused(doc, () => setParam(doc, "limiter", "ceilingDbtp", Number.NaN), "INVALID_PARAM", /ceilingDbtp/);
    expectRefused(doc, () => setParam(doc, "limiter", "ceilingDbtp", "-1"), "INVALID_PARAM", /"limiter".*ceilingDbtp/);
    expectRefused(doc, () => setParam(doc, "output", "bitDepth", "12"), "INVALID_PARAM", /"output".*bitDepth/);
    expectRefused(doc, () => setParam(doc, "limiter", "truePeak", 1), "INVALID_PARAM", /truePeak/);
    expectRefused(doc, () => setParam(doc, "limiter", "gainDb", 1), "UNKNOWN_PARAM", /"limiter".*gainDb/);
    expectRefused(doc, () => setParam(doc, "ghost", "gainDb", 1), "MODULE_NOT_FOUND");
    expectRefused(
      doc,
      () => setParam(doc, "multiband", "crossover1Hz", 900),
      "PARAM_CONFLICT",
      /"multiband".*crossover2Hz = 1000 Hz must be at least half an octave above crossover1Hz = 900 Hz/,
    );
  });
});

describe("applyPreset", () => {
  it("writes only what differs when the layout matches, so concurrent edits of other parameters survive", () => {
    const doc = streaming();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    setParam(peer, "reverb", "decayS", 2); // not touched by the preset
    const origins = watch(doc);
    applyPreset(doc, "cd", {}, "frank");
    expect(origins).toEqual(["frank"]);
    expect(docToChain(doc)).toEqual(presetChain("cd"));
    const eqMap = modulesOf(doc).get(1);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    expect(paramOf(doc, "reverb", "decayS")).toBe(2);
    expect(modulesOf(doc).get(1)).toBe(eqMap);
  });

  it("replaces the module list when the layout differs, and passes options on", () => {
    const doc = streaming();
    removeModule(doc, "reverb");
    addModule(doc, "trim", 0);
    applyPreset(doc, "podcast", { targetLufs: -18 });
    expect(docToChain(doc)).toEqual(presetChain("podcast", { targetLufs: -18 }));
  });

  it("refuses an unknown preset", () => {
    const doc = streaming();
    expectRefused(doc, () => applyPreset(doc, "nope" as "cd"), "UNKNOWN_PRESET");
  });
});

describe("restoreChain", () => {
  /** A saved version: the streaming chain with a few edits of its own. */
  function savedVersion() {
    const doc = streaming();
    setParam(doc, "limiter", "ceilingDbtp", -0.3);
    setBypass(doc, "reverb", false);
    setParam(doc, "eq", "b2Gain", 2.5);
    return readChain(doc);
  }

  it("writes only what differs when the layout matches, in one transaction, so concurrent edits survive", () => {
    const version = savedVersion();
    const doc = streaming();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    setParam(peer, "compressor", "ratio", 4); // concurrent, a parameter the restore does not change
    const eqMap = modulesOf(doc).get(1);
    const origins = watch(doc);
    restoreChain(doc, version, "gina");
    expect(origins).toEqual(["gina"]);
    expect(readChain(doc)).toEqual(version);
    expect(modulesOf(doc).get(1)).toBe(eqMap);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    expect(paramOf(doc, "compressor", "ratio")).toBe(4);
    expect(paramOf(doc, "limiter", "ceilingDbtp")).toBe(-0.3);
  });

  it("replaces the module list when the layout differs", () => {
    const version = savedVersion();
    const doc = streaming();
    removeModule(doc, "reverb");
    const trim = addModule(doc, "trim", 0);
    moveModule(doc, "eq", 3);
    restoreChain(doc, version);
    expect(readChain(doc)).toEqual(version);
    expect(ids(doc)).not.toContain(trim);
  });

  it("fills defaults of a chain given as input (e.g. an older saved JSON) and refuses an invalid one unchanged", () => {
    const doc = streaming();
    restoreChain(doc, { schemaVersion: 1, modules: [{ id: "lim", type: "limiter" }] });
    expect(readChain(doc).modules).toEqual([
      { id: "lim", type: "limiter", bypass: false, params: defaultParams("limiter") },
    ]);
    expectRefused(
      doc,
      () =>
        restoreChain(doc, { schemaVersion: 1, modules: [{ id: "lim", type: "limiter", params: { ceilingDbtp: 3 } }] }),
      "PARAM_OUT_OF_RANGE",
    );
  });

  it("is undone by the person who restored, back to the chain before, leaving others' edits", () => {
    const version = savedVersion();
    for (const layoutChanged of [false, true]) {
      const doc = streaming();
      if (layoutChanged) addModule(doc, "trim", 0, "someone else");
      setParam(doc, "limiter", "ceilingDbtp", -2, "someone else");
      const before = readChain(doc);
      const undo = createUndoManager(doc, "gina", { captureTimeout: 0 });
      restoreChain(doc, version, "gina");
      expect(readChain(doc)).toEqual(version);
      undo.undo();
      expect(readChain(doc)).toEqual(before);
      undo.redo();
      expect(readChain(doc)).toEqual(version);
    }
  });
});
