/**
 * Seeded convergence: simulated clients edit concurrently and exchange updates in random order and
 * batches. Through a server that runs `applyUpdateValidated` on every update (and makes a refused
 * client reload its state), every client ends with the server's chain, and that chain is valid.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ChainError } from "../errors.ts";
import { MODULE_SPECS, MODULE_TYPES } from "../moduleSpecs.ts";
import type { ParamSpec, ParamValue } from "../paramSpec.ts";
import { parseChain } from "../parseChain.ts";
import { PRESET_NAMES, presetChain } from "../presets.ts";
import { prng } from "../testing/prng.ts";
import { chainToDoc, createChainDoc, docToChain } from "./chainDoc.ts";
import { addModule, applyPreset, moveModule, removeModule, setBypass, setParam } from "./editChain.ts";
import { applyUpdateValidated, validateDoc } from "./validateDoc.ts";

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[int(rng, list.length)]!;

function randomValue(rng: Rng, spec: ParamSpec): ParamValue {
  switch (spec.kind) {
    case "number": {
      const span = spec.max - spec.min;
      // mostly in range (to one decimal, clamped), sometimes a little outside: those edits are refused
      const v = spec.min - span * 0.05 + rng() * span * 1.1;
      return rng() < 0.9 ? Math.min(spec.max, Math.max(spec.min, Math.round(v * 10) / 10)) : v;
    }
    case "enum":
      return pick(rng, spec.options);
    case "boolean":
      return rng() < 0.5;
  }
}

/** One random edit through the public operations; local refusals (`ChainError`) are part of the game. */
function randomEdit(doc: Y.Doc, rng: Rng, origin: unknown): boolean {
  const modules = docToChain(doc).modules as { id: string; type: keyof typeof MODULE_SPECS }[];
  const target = modules.length > 0 ? pick(rng, modules) : undefined;
  const r = rng();
  try {
    if (target && r < 0.55) {
      const spec = pick(rng, MODULE_SPECS[target.type].params as readonly ParamSpec[]);
      setParam(doc, target.id, spec.key, randomValue(rng, spec), origin);
    } else if (target && r < 0.7) setBypass(doc, target.id, rng() < 0.5, origin);
    else if (r < 0.8)
      addModule(doc, pick(rng, MODULE_TYPES), rng() < 0.5 ? undefined : int(rng, modules.length + 1), origin);
    else if (target && r < 0.87) removeModule(doc, target.id, origin);
    else if (target && r < 0.97) moveModule(doc, target.id, int(rng, modules.length), origin);
    else applyPreset(doc, pick(rng, PRESET_NAMES), {}, origin);
    return true;
  } catch (error) {
    if (error instanceof ChainError) return false;
    throw error;
  }
}

const FROM_SERVER = Symbol("fromServer");

interface Client {
  doc: Y.Doc;
  /** Local updates not yet sent, in order (one socket: the server receives them in this order). */
  outbox: Uint8Array[];
  /** Accepted updates the server has broadcast to this client, not yet delivered. */
  inbox: Uint8Array[];
}

/** A new document with a client id drawn from `rng`, so that a seed replays exactly. */
function seededDoc(rng: Rng): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 1 + int(rng, 0x7fffffff);
  return doc;
}

/** A client (re)loading the server's whole state, as after connecting or after a refused update. */
function connect(rng: Rng, server: Y.Doc, client?: Client): Client {
  const doc = seededDoc(rng);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), FROM_SERVER);
  const c: Client = client ?? { doc, outbox: [], inbox: [] };
  Object.assign(c, { doc, outbox: [], inbox: [] });
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== FROM_SERVER) c.outbox.push(update);
  });
  return c;
}

const batch = (updates: Uint8Array[]) => (updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));

function simulate(seed: number, clientCount: number, steps: number) {
  const rng = prng(seed);
  const server = seededDoc(rng);
  chainToDoc(presetChain("streaming"), server);
  const clients = Array.from({ length: clientCount }, () => connect(rng, server));
  const stats = { edits: 0, accepted: 0, refused: 0 };

  const send = (c: Client, count: number) => {
    const update = batch(c.outbox.splice(0, count));
    const result = applyUpdateValidated(server, update, c);
    if (!result.applied) {
      stats.refused++;
      connect(rng, server, c); // its doc has diverged: drop it and reload the server's state
      return;
    }
    stats.accepted++;
    for (const other of clients) if (other !== c) other.inbox.push(update);
  };
  const deliver = (c: Client, count: number) => {
    for (let i = 0; i < count && c.inbox.length > 0; i++) {
      // out of order on purpose: Yjs holds an update back until what it builds on has arrived
      const taken = c.inbox.splice(int(rng, c.inbox.length), 1 + int(rng, 3));
      Y.applyUpdate(c.doc, batch(taken), FROM_SERVER);
    }
  };

  for (let step = 0; step < steps; step++) {
    const c = pick(rng, clients);
    const r = rng();
    if (r < 0.5) stats.edits += randomEdit(c.doc, rng, "local") ? 1 : 0;
    else if (r < 0.75 && c.outbox.length > 0) send(c, 1 + int(rng, c.outbox.length));
    else deliver(c, 1 + int(rng, 4));
  }
  while (clients.some((c) => c.outbox.length > 0 || c.inbox.length > 0)) {
    for (const c of clients) if (c.outbox.length > 0) send(c, c.outbox.length);
    for (const c of clients) deliver(c, c.inbox.length);
  }
  return { server, clients, stats };
}

describe("seeded convergence through a validating server", () => {
  it.each([
    [1, 2, 400],
    [2, 2, 400],
    [3, 2, 400],
    [4, 30, 1000],
    [5, 30, 1000],
  ])("seed %i: %i clients, %i steps, converge to one valid chain", (seed, clientCount, steps) => {
    const { server, clients, stats } = simulate(seed, clientCount, steps);
    const expected = JSON.stringify(docToChain(server));
    for (const c of clients) expect(JSON.stringify(docToChain(c.doc))).toBe(expected);
    expect(validateDoc(server).ok).toBe(true);
    expect(parseChain(docToChain(server))).toEqual(docToChain(server));
    expect(stats.accepted).toBeGreaterThan(steps / 20);
    if (clientCount > 2) expect(stats.refused).toBeGreaterThan(0); // conflicting merges did happen
  });
});

describe("seeded convergence peer to peer (no server)", () => {
  it.each([
    [6, 2],
    [7, 30],
  ])("seed %i: %i peers exchanging updates in random order and batches read the same chain", (seed, peerCount) => {
    const rng = prng(seed);
    const start = Y.encodeStateAsUpdate(createChainDoc(presetChain("loud")));
    const peers = Array.from({ length: peerCount }, () => {
      const doc = seededDoc(rng);
      Y.applyUpdate(doc, start);
      return { doc, log: [] as Uint8Array[] };
    });
    for (const p of peers)
      p.doc.on("update", (u: Uint8Array, origin: unknown) => origin !== FROM_SERVER && p.log.push(u));
    for (let round = 0; round < 3; round++) {
      for (const p of peers) for (let i = 0; i < 5; i++) randomEdit(p.doc, rng, "local");
      // each peer receives a random subset of the others' updates, shuffled and batched
      for (const p of peers) {
        const incoming = peers.filter((q) => q !== p && rng() < 0.5).flatMap((q) => q.log);
        incoming.sort(() => rng() - 0.5);
        while (incoming.length > 0) Y.applyUpdate(p.doc, batch(incoming.splice(0, 1 + int(rng, 4))), FROM_SERVER);
      }
    }
    const all = batch(peers.flatMap((p) => p.log));
    for (const p of peers) Y.applyUpdate(p.doc, all, FROM_SERVER);
    const expected = JSON.stringify(docToChain(peers[0]!.doc));
    for (const p of peers) expect(JSON.stringify(docToChain(p.doc))).toBe(expected);
  });
});
