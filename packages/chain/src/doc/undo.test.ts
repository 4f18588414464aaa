import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { presetChain } from "../presets.ts";
import { createChainDoc, readChain } from "./chainDoc.ts";
import { addModule, moveModule, removeModule, setBypass, setParam } from "./editChain.ts";
import { createUndoManager } from "./undo.ts";

const REMOTE = Symbol("remote");

/** Two people, each with their own document, connected both ways (as through the server). */
function pair() {
  const a = createChainDoc(presetChain("streaming"));
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), REMOTE);
  a.on("update", (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(b, u, REMOTE));
  b.on("update", (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(a, u, REMOTE));
  return { a, b };
}

const param = (doc: Y.Doc, id: string, key: string) =>
  (readChain(doc).modules.find((m) => m.id === id)!.params as Record<string, unknown>)[key];

describe("per-person undo", () => {
  it("undoes only A's edits, on different and on the same modules; B's stay", () => {
    const { a, b } = pair();
    const undoA = createUndoManager(a, "alice", { captureTimeout: 0 });
    setParam(a, "limiter", "ceilingDbtp", -0.3, "alice"); // A only
    setParam(b, "compressor", "ratio", 4, "bob"); // B only, another module
    setParam(a, "eq", "b2Gain", 3, "alice"); // same module, different bands
    setParam(b, "eq", "b5Gain", -2, "bob");
    setBypass(a, "reverb", false, "alice");
    setBypass(b, "saturation", false, "bob");
    expect(undoA.undoStack).toHaveLength(3);
    while (undoA.canUndo()) undoA.undo();
    for (const doc of [a, b]) {
      expect(param(doc, "limiter", "ceilingDbtp")).toBe(-1);
      expect(param(doc, "eq", "b2Gain")).toBe(0);
      expect(readChain(doc).modules.find((m) => m.id === "reverb")!.bypass).toBe(true);
      expect(param(doc, "compressor", "ratio")).toBe(4);
      expect(param(doc, "eq", "b5Gain")).toBe(-2);
      expect(readChain(doc).modules.find((m) => m.id === "saturation")!.bypass).toBe(false);
    }
    expect(readChain(a)).toEqual(readChain(b));
  });

  it("leaves a parameter B set after A as B set it", () => {
    const { a, b } = pair();
    const undoA = createUndoManager(a, "alice", { captureTimeout: 0 });
    setParam(a, "eq", "b1Gain", 3, "alice");
    setParam(b, "eq", "b1Gain", 5, "bob");
    undoA.undo();
    expect(param(a, "eq", "b1Gain")).toBe(5);
    expect(param(b, "eq", "b1Gain")).toBe(5);
  });

  it("undoes A's structural edits (add, remove, move) while B's parameter edits stay", () => {
    const { a, b } = pair();
    const undoA = createUndoManager(a, "alice", { captureTimeout: 0 });
    const before = readChain(a).modules.map((m) => m.id);
    const trim = addModule(a, "trim", 0, "alice");
    removeModule(a, "reverb", "alice");
    moveModule(a, "imager", 2, "alice");
    setParam(b, "limiter", "releaseMs", 250, "bob");
    setParam(b, trim, "gainDb", -3, "bob"); // on A's new module: goes when A's add is undone
    while (undoA.canUndo()) undoA.undo();
    expect(readChain(a).modules.map((m) => m.id)).toEqual(before);
    expect(param(a, "limiter", "releaseMs")).toBe(250);
    expect(readChain(a)).toEqual(readChain(b));
  });

  it("ignores B's edits entirely: nothing to undo for A", () => {
    const { a, b } = pair();
    const undoA = createUndoManager(a, "alice");
    setParam(b, "compressor", "ratio", 4, "bob");
    expect(undoA.canUndo()).toBe(false);
  });
});
