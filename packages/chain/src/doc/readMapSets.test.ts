import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MODULE_SPECS, type ModuleType } from "../moduleSpecs.ts";
import { presetChain } from "../presets.ts";
import { prng } from "../testing/prng.ts";
import { createChainDoc, metaOf, modulesOf } from "./chainDoc.ts";
import { craftUpdate, encodeAny, randomMapSetUpdate } from "./craftUpdate.ts";
import { addModule, moveModule, removeModule, setBypass, setParam } from "./editChain.ts";
import { readMapSets } from "./readMapSets.ts";

const clone = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};

/** What a peer holding `doc`'s state sends after `change`. */
function sentBy(doc: Y.Doc, change: (peer: Y.Doc) => void): Uint8Array {
  const peer = clone(doc);
  const vector = Y.encodeStateVector(peer);
  change(peer);
  return Y.encodeStateAsUpdate(peer, vector);
}

const paramsOf = (doc: Y.Doc, index: number) => modulesOf(doc).get(index).get("params") as Y.Map<unknown>;
const LIMITER = 9;

/** Everything a chain document holds, as plain JSON (root names included). */
const contentOf = (doc: Y.Doc) => ({
  roots: [...doc.share.keys()].sort(),
  modules: modulesOf(doc).toJSON(),
  meta: metaOf(doc).toJSON(),
});

/** `map` of `doc` as found in `copy` (same ids). */
function sameMap(copy: Y.Doc, map: Y.Map<unknown>): Y.Map<unknown> {
  if (map._item === null) return metaOf(copy);
  return (Y.getItem(copy.store, map._item.id) as Y.Item & { content: Y.ContentType }).content.type as Y.Map<unknown>;
}

/** The streaming chain after a seeded history: three peers' knob turns, bypass flips and module moves, all synced. */
function docWithHistory(rng: () => number): Y.Doc {
  const doc = createChainDoc(presetChain("streaming"));
  const peers = [0, 1, 2].map(() => clone(doc));
  for (let step = 0; step < 30; step++) {
    const peer = peers[Math.floor(rng() * peers.length)]!;
    const vector = Y.encodeStateVector(peer);
    const modules = modulesOf(peer).toArray();
    const module = modules[Math.floor(rng() * modules.length)]!;
    const id = module.get("id") as string;
    const spec = MODULE_SPECS[module.get("type") as ModuleType].params[0];
    const r = rng();
    try {
      if (r < 0.6 && spec?.kind === "number") setParam(peer, id, spec.key, spec.min + (spec.max - spec.min) * rng());
      else if (r < 0.8) setBypass(peer, id, rng() < 0.5);
      else if (r < 0.9) moveModule(peer, id, 1 + Math.floor(rng() * 3));
      else if (module.get("type") === "trim") removeModule(peer, id);
      else addModule(peer, "trim", 1);
    } catch {
      // an edit the chain's rules refuse (a module moved out of order): that peer's turn is skipped
    }
    const update = Y.encodeStateAsUpdate(peer, vector);
    for (const other of [doc, ...peers]) Y.applyUpdate(other, update);
  }
  return doc;
}

describe("readMapSets", () => {
  it("reads a knob turn and a bypass flip as the values they set", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const turn = sentBy(doc, (peer) => setParam(peer, "limiter", "ceilingDbtp", -0.5));
    expect(readMapSets(doc, turn)).toEqual([{ map: paramsOf(doc, LIMITER), key: "ceilingDbtp", value: -0.5 }]);
    const flip = sentBy(doc, (peer) => setBypass(peer, "limiter", true));
    expect(readMapSets(doc, flip)).toEqual([{ map: modulesOf(doc).get(LIMITER), key: "bypass", value: true }]);
  });

  it("reads each value exactly as Yjs decodes it", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
      fc.boolean(),
      fc.string({ unit: "binary-ascii", maxLength: 64 }),
    );
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, "int", "float32", "float64"), (v, as) => {
        // as Yjs encodes it, and as a peer could force it
        const honest = sentBy(doc, (peer) => paramsOf(peer, LIMITER).set("ceilingDbtp", v));
        const item = modulesOf(doc).get(LIMITER).get("params") as Y.Map<unknown>;
        const last = item._map.get("ceilingDbtp")!;
        const forced = craftUpdate({
          sections: [
            {
              client: 7,
              clock: 0,
              items: [
                {
                  origin: [last.id.client, last.id.clock],
                  values: [
                    encodeAny(v, typeof v === "number" && (as !== "int" || Number.isSafeInteger(v)) ? as : undefined),
                  ],
                },
              ],
            },
          ],
          deletes: [],
        });
        for (const update of [honest, forced]) {
          const decoded = (Y.decodeUpdate(update).structs[0] as Y.Item).content as Y.ContentAny;
          const sets = readMapSets(doc, update);
          expect(sets).not.toBeNull();
          expect(Object.is(sets![0]!.value, decoded.arr[0])).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, (peer: Y.Doc) => void]>([
    ["a new key", (p) => paramsOf(p, LIMITER).set("gainDb", 1)],
    ["a deleted key", (p) => paramsOf(p, LIMITER).delete("ceilingDbtp")],
    ["a nested map as value", (p) => paramsOf(p, LIMITER).set("ceilingDbtp", new Y.Map())],
    ["an object as value", (p) => paramsOf(p, LIMITER).set("ceilingDbtp", { x: 1 })],
    ["null as value", (p) => paramsOf(p, LIMITER).set("ceilingDbtp", null)],
    ["a non-ASCII string", (p) => paramsOf(p, LIMITER).set("ceilingDbtp", "gr\u00fcn")],
    ["a long string", (p) => paramsOf(p, LIMITER).set("ceilingDbtp", "x".repeat(65))],
    ["a module added", (p) => addModule(p, "trim", 1)],
    [
      "the same key twice in one transaction",
      (p) =>
        p.transact(() => {
          paramsOf(p, LIMITER).set("ceilingDbtp", -1);
          paramsOf(p, LIMITER).set("ceilingDbtp", -2);
        }),
    ],
  ])("leaves %s to the general path", (_what, change) => {
    const doc = createChainDoc(presetChain("streaming"));
    expect(readMapSets(doc, sentBy(doc, change))).toBeNull();
  });

  it("leaves a set on a value it never saw (a concurrent edit) to the general path", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const first = sentBy(doc, (peer) => setParam(peer, "limiter", "ceilingDbtp", -1.5));
    const second = sentBy(doc, (peer) => setParam(peer, "limiter", "ceilingDbtp", -2));
    expect(readMapSets(doc, second)).not.toBeNull();
    Y.applyUpdate(doc, first);
    expect(readMapSets(doc, second)).toBeNull();
  });

  describe("on hand-made bytes", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const params = paramsOf(doc, LIMITER);
    const item = (key: string) => params._map.get(key)!;
    const set = (key: string, value: unknown) => ({
      origin: [item(key).id.client, item(key).id.clock] as const,
      values: [encodeAny(value)],
    });
    const owned = (key: string) => ({ client: item(key).id.client, ranges: [[item(key).id.clock, 1]] as const });
    const valid = {
      sections: [{ client: 7, clock: 0, items: [set("ceilingDbtp", -2)] }],
      deletes: [owned("ceilingDbtp")],
    };

    it("reads a well-formed update", () => {
      expect(readMapSets(doc, craftUpdate(valid))).toEqual([{ map: params, key: "ceilingDbtp", value: -2 }]);
    });

    it.each<[string, Parameters<typeof craftUpdate>[0]]>([
      [
        "a client's second section (Yjs would apply only that one)",
        { ...valid, sections: [...valid.sections, { client: 7, clock: 0, items: [set("releaseMs", 50)] }] },
      ],
      [
        "a client's empty second section (Yjs would apply none)",
        { ...valid, sections: [...valid.sections, { client: 7, clock: 0, items: [] }] },
      ],
      ["an empty section", { ...valid, sections: [{ client: 7, clock: 0, items: [] }] }],
      ["no sections", { sections: [], deletes: [] }],
      [
        "a clock ahead of the document",
        { ...valid, sections: [{ client: 7, clock: 1, items: [set("ceilingDbtp", -2)] }] },
      ],
      [
        "a clock the document has",
        { ...valid, sections: [{ client: item("ceilingDbtp").id.client, clock: 0, items: [set("ceilingDbtp", -2)] }] },
      ],
      [
        "two sets of one key",
        { ...valid, sections: [{ client: 7, clock: 0, items: [set("ceilingDbtp", -2), set("ceilingDbtp", -3)] }] },
      ],
      [
        "a right origin",
        {
          ...valid,
          sections: [{ client: 7, clock: 0, items: [{ ...set("ceilingDbtp", -2), info: 0x80 | 0x40 | 8 }] }],
        },
      ],
      [
        "two values in one item",
        {
          ...valid,
          sections: [
            { client: 7, clock: 0, items: [{ ...set("ceilingDbtp", -2), values: [encodeAny(-2), encodeAny(-3)] }] },
          ],
        },
      ],
      ["a delete of another key's value", { ...valid, deletes: [owned("ceilingDbtp"), owned("releaseMs")] }],
      ["a delete of the update's own item", { ...valid, deletes: [{ client: 7, ranges: [[0, 1]] }] }],
      ["an empty delete range", { ...valid, deletes: [{ client: item("ceilingDbtp").id.client, ranges: [[0, 0]] }] }],
      ["a delete of a client nobody knows", { ...valid, deletes: [{ client: 8, ranges: [[0, 1]] }] }],
      ["a byte left over", { ...valid, trailing: [0] }],
    ])("leaves %s to the general path", (_what, update) => {
      expect(readMapSets(doc, craftUpdate(update))).toBeNull();
    });

    it("leaves every truncation of a well-formed update to the general path", () => {
      const bytes = craftUpdate(valid);
      for (let n = 0; n < bytes.length; n++) expect(readMapSets(doc, bytes.slice(0, n))).toBeNull();
    });

    it("reads nothing while the document has changes pending", () => {
      const pending = clone(doc);
      Y.applyUpdate(
        pending,
        craftUpdate({ sections: [{ client: 9, clock: 1, items: [set("ceilingDbtp", -1)] }], deletes: [] }),
      );
      expect(pending.store.pendingStructs).not.toBeNull();
      expect(readMapSets(pending, craftUpdate(valid))).toBeNull();
    });
  });

  it("names the whole effect of every update it reads, on seeded crafted updates (Yjs applies exactly those sets, leaves nothing pending)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = prng(seed);
        const doc = docWithHistory(rng);
        let read = 0;
        for (let step = 0; step < 40; step++) {
          const update = randomMapSetUpdate(doc, rng);
          const sets = readMapSets(doc, update);
          if (sets === null) continue;
          read++;
          const expected = clone(doc);
          expected.transact(() => {
            for (const { map, key, value } of sets) sameMap(expected, map).set(key, value);
          });
          const before = Y.encodeStateVector(doc);
          Y.applyUpdate(doc, update);
          expect(doc.store.pendingStructs).toBeNull();
          expect(doc.store.pendingDs).toBeNull();
          expect(contentOf(doc)).toEqual(contentOf(expected));
          expect(Y.encodeStateAsUpdate(doc, before).byteLength).toBeGreaterThan(2);
        }
        expect(read).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
