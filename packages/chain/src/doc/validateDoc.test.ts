import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MODULE_SPECS } from "../moduleSpecs.ts";
import { presetChain } from "../presets.ts";
import type { ChainModule } from "../schema.ts";
import { prng } from "../testing/prng.ts";
import { createChainDoc, docToChain, metaOf, modulesOf, moduleToYMap } from "./chainDoc.ts";
import { craftUpdate, encodeAny, randomMapSetUpdate } from "./craftUpdate.ts";
import { setParam } from "./editChain.ts";
import { readMapSets } from "./readMapSets.ts";
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

  it("rejects a struct of length 0 (Yjs would store two structs at one clock and a value that reads as undefined)", () => {
    const doc = server();
    const value = paramsAt(doc, 9)._map.get("ceilingDbtp")!;
    const origin = [value.id.client, value.id.clock] as const;
    const update = craftUpdate({
      sections: [
        {
          client: 7,
          clock: 0,
          items: [
            { origin, values: [] },
            { origin, values: [encodeAny(-2)] },
          ],
        },
      ],
      deletes: [],
    });
    expectRefused(doc, update, "MALFORMED", /length 0/);
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
  }, 60_000);
});

describe("UpdateGuard's in-place check of parameter changes", () => {
  /** One random change a peer (honest or hostile) could make to its copy of the document. */
  function randomChange(peer: Y.Doc, rng: () => number): void {
    const modules = modulesOf(peer);
    const index = Math.floor(rng() * modules.length);
    const module = modules.get(index);
    const type = module.get("type") as keyof typeof MODULE_SPECS;
    const params = module.get("params") as Y.Map<unknown>;
    const specs = MODULE_SPECS[type].params;
    const spec = specs[Math.floor(rng() * specs.length)];
    const r = rng();
    if (spec && r < 0.35) {
      // In range mostly, out of range or of the wrong kind sometimes.
      const value =
        spec.kind === "number"
          ? spec.min + (spec.max - spec.min) * (rng() * 1.2 - 0.1)
          : spec.kind === "enum"
            ? rng() < 0.9
              ? spec.options[Math.floor(rng() * spec.options.length)]
              : "no-such-option"
            : rng() < 0.9
              ? rng() < 0.5
              : "yes";
      params.set(spec.key, value);
    } else if (r < 0.45) module.set("bypass", rng() < 0.8 ? rng() < 0.5 : 1);
    else if (spec && r < 0.5) params.delete(spec.key);
    else if (r < 0.55) params.set("unknownKnob", 1);
    else if (spec && r < 0.6) params.set(spec.key, new Y.Map());
    else if (r < 0.65) module.set("type", rng() < 0.5 ? "trim" : "limiter");
    else if (r < 0.7) module.set("params", new Y.Map());
    else if (r < 0.75) module.set("colour", "red");
    else if (r < 0.8) modules.delete(index, 1);
    else if (r < 0.85) {
      const json = module.toJSON() as ChainModule;
      modules.delete(index, 1);
      modules.insert(Math.floor(rng() * modules.length), [moduleToYMap(json)]);
    } else if (r < 0.9) metaOf(peer).set("schemaVersion", rng() < 0.5 ? 1 : 99);
    else {
      // A multiband's crossovers pushed across each other (a rule between parameters).
      const multiband = modules.toArray().find((m) => m.get("type") === "multiband");
      (multiband?.get("params") as Y.Map<unknown> | undefined)?.set("crossover2Hz", 50 + rng() * 400);
    }
  }

  it("applies exactly what validating the whole document decides, on seeded honest, hostile and concurrent changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = prng(seed);
        const guarded = createChainDoc(presetChain("streaming"));
        const guard = new UpdateGuard(guarded);
        let accepted = 0;
        for (let step = 0; step < 30; step++) {
          // Two peers start from the same state; the second's change arrives after the first's (a conflict).
          const peers = [0, 1].map(() => {
            const peer = new Y.Doc();
            Y.applyUpdate(peer, Y.encodeStateAsUpdate(guarded));
            return peer;
          });
          const updates = peers.map((peer) => {
            const vector = Y.encodeStateVector(peer);
            randomChange(peer, rng);
            return Y.encodeStateAsUpdate(peer, vector);
          });
          for (const update of rng() < 0.5 ? updates : updates.slice(0, 1)) {
            // The oracle: the update on a scratch copy, then the whole-document check.
            const scratch = new Y.Doc();
            Y.applyUpdate(scratch, Y.encodeStateAsUpdate(guarded));
            Y.applyUpdate(scratch, update);
            const pending = scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null;
            const expected = !pending && validateDoc(scratch).ok;
            const result = guard.apply(update);
            expect(result.applied).toBe(expected);
            if (result.applied) accepted++;
            expect(validateDoc(guarded).ok).toBe(true);
            if (expected) expect(Y.encodeStateVector(guarded)).toEqual(Y.encodeStateVector(scratch));
          }
        }
        expect(accepted).toBeGreaterThan(0);
        guard.destroy();
      }),
      { numRuns: 30 },
    );
  }, 60_000);

  it("applies exactly what validating the whole document decides, on seeded crafted parameter updates mixed with other changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = prng(seed);
        const guarded = createChainDoc(presetChain("streaming"));
        const guard = new UpdateGuard(guarded);
        let withoutShadow = 0;
        for (let step = 0; step < 40; step++) {
          const update =
            rng() < 0.8 ? randomMapSetUpdate(guarded, rng) : editAsPeer(guarded, (peer) => randomChange(peer, rng));
          // The oracle: structs Yjs can take, the update on a scratch copy, the whole-document check.
          const scratch = new Y.Doc();
          Y.applyUpdate(scratch, Y.encodeStateAsUpdate(guarded));
          let expected: boolean;
          try {
            const readable = Y.decodeUpdate(update).structs.every((struct) => struct.length > 0);
            Y.applyUpdate(scratch, update);
            const pending = scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null;
            expected = readable && !pending && validateDoc(scratch).ok;
          } catch {
            expected = false;
          }
          if (readMapSets(guarded, update) !== null && expected) withoutShadow++;
          const before = Y.encodeStateAsUpdate(guarded);
          expect(guard.apply(update).applied).toBe(expected);
          expect(validateDoc(guarded).ok).toBe(true);
          if (expected) {
            expect(Y.encodeStateVector(guarded)).toEqual(Y.encodeStateVector(scratch));
            expect(docToChain(guarded)).toEqual(docToChain(scratch));
            // what the room stores and sends holds the same valid chain
            const stored = new Y.Doc();
            Y.applyUpdate(stored, Y.encodeStateAsUpdate(guarded));
            expect(docToChain(stored)).toEqual(docToChain(guarded));
          } else expect(Y.encodeStateAsUpdate(guarded)).toEqual(before);
          if (rng() < 0.5) guard.settle(); // the room settles after each relay; here not always
        }
        expect(withoutShadow).toBeGreaterThan(0);
        guard.destroy();
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("decides a knob turn without changing the document until commit, and commits it before the next decision", () => {
    const doc = createChainDoc(presetChain("streaming"));
    const guard = new UpdateGuard(doc);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const sent: Uint8Array[] = [];
    peer.on("update", (update: Uint8Array) => sent.push(update));
    setParam(peer, "limiter", "ceilingDbtp", -2);
    setParam(peer, "limiter", "ceilingDbtp", -3); // builds on the first
    modulesOf(peer).delete(0, 1); // a structural change: decided on the shadow, applied at once
    const before = docToChain(doc);
    expect(guard.decide(sent[0]!)).toEqual({ applied: true });
    expect(docToChain(doc)).toEqual(before);
    expect(guard.decide(sent[1]!)).toEqual({ applied: true }); // the first is committed first
    expect(paramsAt(doc, 9).get("ceilingDbtp")).toBe(-2);
    expect(guard.decide(sent[2]!)).toEqual({ applied: true });
    expect(docToChain(doc)).toEqual(docToChain(peer));
    guard.commit();
    expect(docToChain(doc)).toEqual(docToChain(peer));
    guard.destroy();
  });

  it("still refuses a parameter change when the document was invalid to begin with", () => {
    const doc = createChainDoc(presetChain("streaming"));
    paramsAt(doc, 9).set("ceilingDbtp", 3); // stored state broken behind the guard's back
    const guard = new UpdateGuard(doc);
    const update = editAsPeer(doc, (peer) => paramsAt(peer, 1).set("b2Gain", 1)); // valid on its own
    expect(guard.apply(update)).toMatchObject({ applied: false, reason: "INVALID" });
  });
});
