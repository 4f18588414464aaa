import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { parseChain } from "../parseChain.ts";
import { PRESET_NAMES, presetChain } from "../presets.ts";
import { arbChain } from "../testing/chainArbitraries.ts";
import { chainToDoc, createChainDoc, docToChain, metaOf, modulesOf, readChain } from "./chainDoc.ts";
import { validateDoc } from "./validateDoc.ts";

/** A second document built only from the first one's encoded state, as a peer would receive it. */
function replica(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe("chainToDoc / docToChain", () => {
  it.each(PRESET_NAMES)("round-trips preset %s exactly, locally and through an encoded update", (name) => {
    const chain = presetChain(name);
    const doc = createChainDoc(chain);
    expect(docToChain(doc)).toEqual(chain);
    expect(JSON.stringify(docToChain(replica(doc)))).toBe(JSON.stringify(chain));
    expect(readChain(doc)).toEqual(chain);
  });

  it("round-trips random valid chains", () => {
    fc.assert(
      fc.property(arbChain, (json) => {
        const chain = parseChain(json);
        const doc = createChainDoc(chain);
        expect(docToChain(doc)).toEqual(chain);
        expect(docToChain(replica(doc))).toEqual(chain);
        expect(validateDoc(replica(doc))).toEqual({ ok: true, issues: [], chain });
      }),
      { numRuns: 100 },
    );
  });

  it("lays the document out as a Y.Array of Y.Maps with params in a nested Y.Map", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const limiter = modulesOf(doc).get(9);
    expect(limiter).toBeInstanceOf(Y.Map);
    expect(limiter.get("id")).toBe("limiter");
    expect(limiter.get("type")).toBe("limiter");
    expect(limiter.get("bypass")).toBe(false);
    expect((limiter.get("params") as Y.Map<unknown>).get("ceilingDbtp")).toBe(-1);
    expect(metaOf(doc).get("schemaVersion")).toBe(1);
  });

  it("replaces the previous content in one transaction and fills defaults", () => {
    const doc = createChainDoc(presetChain("loud"));
    let transactions = 0;
    doc.on("afterTransaction", () => transactions++);
    chainToDoc({ schemaVersion: 1, modules: [{ id: "t", type: "trim" }] }, doc);
    expect(transactions).toBe(1);
    expect(docToChain(doc)).toEqual({
      schemaVersion: 1,
      modules: [{ id: "t", type: "trim", bypass: false, params: { gainDb: 0 } }],
    });
  });

  it("refuses an invalid chain before touching the document", () => {
    const doc = createChainDoc(presetChain("cd"));
    const before = Y.encodeStateAsUpdate(doc);
    expect(() =>
      chainToDoc({ schemaVersion: 1, modules: [{ id: "l", type: "limiter", params: { ceilingDbtp: 3 } }] }, doc),
    ).toThrow(/module "l" \(limiter\): ceilingDbtp = 3 is out of range/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("reads an empty document as an unversioned chain that does not validate", () => {
    const doc = new Y.Doc();
    expect(docToChain(doc)).toEqual({ schemaVersion: undefined, modules: [] });
    expect(validateDoc(doc).ok).toBe(false);
  });
});
