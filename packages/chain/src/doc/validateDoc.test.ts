import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { presetChain } from "../presets.ts";
import { prng } from "../testing/prng.ts";
import { createChainDoc, docToChain, metaOf, modulesOf, moduleToYMap } from "./chainDoc.ts";
import { setParam } from "./editChain.ts";
import { applyUpdateValidated, MAX_UPDATE_BYTES, UpdateGuard, validateDoc } from "./validateDoc.ts";

const server = () => createChainDoc(presetChain("streaming"));

/** A peer holding the server's state, whose changes are then encoded as one update (what it would send). */
function editAsPeer(doc: Y.Doc, edit: (peer: Y.Doc) => void): Uint8Array {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  const vector = Y.encodeStateVector(peer);
  edit(peer);
  return Y.encodeStateAsUpdate(peer, vector);
}

const paramsAt = (doc: Y.Doc, index: number) => modulesOf(doc).get(index).get("params") as Y.Map<unknown>;

/** Expects `update` to be refused with `reason` and `doc` to be byte-for-byte unchanged. */
function expectRefused(doc: Y.Doc, update: Uint8Array, reason: string, error?: RegExp) {
  const before = Y.encodeStateAsUpdate(doc);
  const chain = docToChain(doc);
  const result = applyUpdateValidated(doc, update, "peer");
  expect(result).toMatchObject({ applied: false, reason });
  if (error && !result.applied) expect(result.error).toMatch(error);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  expect(docToChain(doc)).toEqual(chain);
  expect(validateDoc(doc).ok).toBe(true);
  return result;
}

describe("validateDoc", () => {
  it("accepts a valid document and returns its chain", () => {
    expect(validateDoc(server())).toEqual({ ok: true, issues: [], chain: presetChain("streaming") });
  });

  it("reports schema issues and layout issues the plain JSON would hide", () => {
    const doc = server();
    paramsAt(doc, 9).set("ceilingDbtp", 3);
    modulesOf(doc).get(0).set("params", { freqHz: 20, slope: "24" });
    const result = validateDoc(doc);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(["INVALID_CHAIN", "PARAM_OUT_OF_RANGE"]);
    expect(result.issues[0]!.message).toBe("modules[0].params is not a Y.Map");
    expect(result.issues[1]!.message).toMatch(/module "limiter" \(limiter\): ceilingDbtp = 3 is out of range/);
  });
});

describe("applyUpdateValidated", () => {
  it("applies a valid update with the given origin", () => {
    const doc = server();
    const origins: unknown[] = [];
    doc.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    const update = editAsPeer(doc, (peer) => setParam(peer, "limiter", "ceilingDbtp", -0.5));
    expect(applyUpdateValidated(doc, update, "alice")).toEqual({ applied: true });
    expect(origins).toEqual(["alice"]);
    expect(paramsAt(doc, 9).get("ceilingDbtp")).toBe(-0.5);
  });

  it("rejects a parameter set out of range directly through the Y.Map by a hostile peer", () => {
    const doc = server();
    const update = editAsPeer(doc, (peer) => paramsAt(peer, 9).set("ceilingDbtp", 3));
    const result = expectRefused(doc, update, "INVALID", /ceilingDbtp = 3 is out of range/);
    expect(!result.applied && result.issues?.map((i) => i.code)).toEqual(["PARAM_OUT_OF_RANGE"]);
  });

  it.each<[string, (peer: Y.Doc) => void, RegExp]>([
    ["a wrongly typed parameter", (p) => paramsAt(p, 9).set("truePeak", "yes"), /truePeak/],
    ["an unknown parameter", (p) => paramsAt(p, 9).set("gainDb", 1), /gainDb/],
    // parsing would fill in a default; the document must hold every parameter itself
    ["a deleted parameter", (p) => paramsAt(p, 9).delete("ceilingDbtp"), /lacks parameter "ceilingDbtp"/],
    [
      "a second limiter",
      (p) =>
        modulesOf(p).insert(0, [
          new Y.Map<unknown>([
            ["id", "lim2"],
            ["type", "limiter"],
            ["bypass", false],
            ["params", new Y.Map()],
          ]),
        ]),
      /only one limiter/,
    ],
    [
      "a module that is not a Y.Map",
      (p) => modulesOf(p).insert(0, [{ id: "t", type: "trim" } as never]),
      /not a Y.Map/,
    ],
    ["params that are not a Y.Map", (p) => modulesOf(p).get(0).set("params", { freqHz: 20 }), /params is not a Y\.Map/],
    ["an unknown module type", (p) => modulesOf(p).get(0).set("type", "flanger"), /flanger/],
    ["a duplicate id", (p) => modulesOf(p).get(0).set("id", "eq"), /reuses the id/],
    ["a newer schema version", (p) => metaOf(p).set("schemaVersion", 2), /schemaVersion|version/i],
    ["an extra meta key", (p) => metaOf(p).set("owner", "mallory"), /unexpected key "owner"/],
    ["an extra root type", (p) => p.getMap("junk").set("x", 1), /unexpected root type "junk"/],
    [
      "output moved to the front",
      (p) => {
        modulesOf(p).delete(11, 1);
        modulesOf(p).insert(0, [moduleToYMap(presetChain("streaming").modules[11]!)]);
      },
      /must be the last module/,
    ],
    ["a missing bypass", (p) => modulesOf(p).get(0).delete("bypass"), /lacks "bypass"/],
  ])("rejects %s, leaving the document unchanged", (_what, edit, error) => {
    const doc = server();
    expectRefused(doc, editAsPeer(doc, edit), "INVALID", error);
  });

  it.each([
    ["random bytes", new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 2, 3])],
    ["text", Uint8Array.from("this is not a Yjs update", (c) => c.charCodeAt(0))],
  ])("rejects malformed bytes (%s) without throwing", (_what, bytes) => {
    const doc = server();
    expectRefused(doc, bytes, "MALFORMED", /could not be decoded/);
  });

  it("never throws and never corrupts the document on arbitrary bytes", () => {
    const doc = server();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = applyUpdateValidated(doc, bytes);
        if (result.applied) expect(validateDoc(doc).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(docToChain(doc)).toEqual(presetChain("streaming"));
  });

  it("rejects an update larger than the limit", () => {
    const doc = server();
    const update = editAsPeer(doc, (peer) => setParam(peer, "eq", "b1Gain", 1));
    expectRefused(doc, new Uint8Array(MAX_UPDATE_BYTES + 1), "TOO_LARGE", /at most 262144/);
    const small = applyUpdateValidated(doc, update, null, { maxBytes: update.byteLength - 1 });
    expect(small).toMatchObject({ applied: false, reason: "TOO_LARGE" });
  });

  it("rejects an update that would grow the document past its ceiling, leaving it unchanged", () => {
    const doc = server();
    const update = editAsPeer(doc, (peer) => setParam(peer, "eq", "b1Gain", 2));
    const size = Y.encodeStateAsUpdate(doc).byteLength;
    const before = docToChain(doc);
    const refused = applyUpdateValidated(doc, update, null, { maxDocBytes: size + update.byteLength - 1 });
    expect(refused).toMatchObject({ applied: false, reason: "DOC_TOO_LARGE" });
    expect(docToChain(doc)).toEqual(before);
    expect(applyUpdateValidated(doc, update, null, { maxDocBytes: size + update.byteLength })).toEqual({
      applied: true,
    });
  });

  it("rejects an update that builds on one it never received (a peer refused earlier must resync)", () => {
    const doc = server();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const v0 = Y.encodeStateVector(peer);
    paramsAt(peer, 9).set("ceilingDbtp", 3); // refused by the server
    const v1 = Y.encodeStateVector(peer);
    expectRefused(doc, Y.encodeStateAsUpdate(peer, v0), "INVALID");
    paramsAt(peer, 9).set("ceilingDbtp", -2); // would be valid, but builds on the refused item
    expectRefused(doc, Y.encodeStateAsUpdate(peer, v1), "MISSING_DEPENDENCIES");
  });
});

describe("UpdateGuard", () => {
  it("refuses and applies exactly what applyUpdateValidated does, on a seeded mix of good, bad and out-of-order updates", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = prng(seed);
        const reference = server();
        const guarded = new Y.Doc();
        Y.applyUpdate(guarded, Y.encodeStateAsUpdate(reference));
        const guard = new UpdateGuard(guarded, { maxDocBytes: 60_000 });
        const held: Uint8Array[] = [];
        for (let step = 0; step < 25; step++) {
          const r = rng();
          let update: Uint8Array;
          if (r < 0.45)
            update = editAsPeer(reference, (peer) =>
              setParam(peer, "limiter", "ceilingDbtp", -Math.round(rng() * 29) / 10 - 0.1),
            );
          else if (r < 0.6)
            update = editAsPeer(reference, (peer) => paramsAt(peer, 1).set("b1Gain", 1e6)); // out of range
          else if (r < 0.7)
            update = editAsPeer(reference, (peer) =>
              paramsAt(peer, 0).set("junk", "x".repeat(Math.floor(rng() * 30_000))),
            );
          else if (r < 0.8)
            update = Uint8Array.from({ length: 1 + Math.floor(rng() * 40) }, () => Math.floor(rng() * 256));
          else if (r < 0.9) {
            // an update that builds on one the documents never get: held back, sent later
            const peer = new Y.Doc();
            Y.applyUpdate(peer, Y.encodeStateAsUpdate(reference));
            setParam(peer, "eq", "b2Gain", 1);
            const vector = Y.encodeStateVector(peer);
            setParam(peer, "eq", "b2Gain", 2);
            update = Y.encodeStateAsUpdate(peer, vector);
            held.push(update);
          } else update = held.shift() ?? new Uint8Array([0, 0]);
          const expected = applyUpdateValidated(reference, update, null, { maxDocBytes: 60_000 });
          const actual = guard.apply(update);
          expect(actual.applied).toBe(expected.applied);
          if (!actual.applied && !expected.applied) expect(actual.reason).toBe(expected.reason);
          expect(docToChain(guarded)).toEqual(docToChain(reference));
        }
        expect(Y.encodeStateVector(guarded)).toEqual(Y.encodeStateVector(reference));
        guard.destroy();
      }),
      { numRuns: 40 },
    );
  });
});
