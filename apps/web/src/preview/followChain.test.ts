import { addModule, type Chain, createChainDoc, moveModule, presetChain, setBypass, setParam } from "@comaster/chain";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type ChainSink, followChain } from "./followChain";

function recorder() {
  const calls: unknown[][] = [];
  const sink: ChainSink = {
    load: (chain: Chain) => calls.push(["load", chain.modules.map((m) => m.type)]),
    setParam: (id, key, value, at) => calls.push(["setParam", id, key, value, at]),
    setBypass: (id, bypass, at) => calls.push(["setBypass", id, bypass, at]),
  };
  return { calls, sink };
}

describe("followChain", () => {
  const doc = () => createChainDoc(presetChain("streaming"));
  const idOf = (d: Y.Doc, type: string) =>
    (d
      .getArray<Y.Map<unknown>>("modules")
      .toArray()
      .find((m) => m.get("type") === type)
      ?.get("id") as string) ?? "";

  it("turns a parameter edit into one setParam with the validated value, stamped when it arrived", () => {
    const d = doc();
    const { calls, sink } = recorder();
    followChain(d, sink, () => 42);
    const limiter = idOf(d, "limiter");
    setParam(d, limiter, "ceilingDbtp", -2);
    expect(calls).toEqual([["setParam", limiter, "ceilingDbtp", -2, 42]]);
  });

  it("hears remote edits (an update applied from another peer)", () => {
    const a = doc();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const { calls, sink } = recorder();
    followChain(b, sink, () => 7);
    const limiter = idOf(a, "limiter");
    a.on("update", (u: Uint8Array) => Y.applyUpdate(b, u));
    setParam(a, limiter, "ceilingDbtp", -1.5);
    setBypass(a, limiter, true);
    expect(calls).toEqual([
      ["setParam", limiter, "ceilingDbtp", -1.5, 7],
      ["setBypass", limiter, true, 7],
    ]);
  });

  it("reloads on structural changes, and stays quiet once stopped", () => {
    const d = doc();
    const { calls, sink } = recorder();
    const stop = followChain(d, sink);
    moveModule(d, idOf(d, "eq"), 0);
    expect(calls.at(-1)?.[0]).toBe("load");
    addModule(d, "saturation");
    expect(calls.at(-1)?.[0]).toBe("load");
    const n = calls.length;
    stop();
    setParam(d, idOf(d, "limiter"), "ceilingDbtp", -3);
    expect(calls.length).toBe(n);
  });

  it("ignores a change that makes the chain invalid", () => {
    const d = doc();
    const { calls, sink } = recorder();
    followChain(d, sink);
    const params = d
      .getArray<Y.Map<unknown>>("modules")
      .toArray()
      .find((m) => m.get("type") === "limiter")
      ?.get("params") as Y.Map<unknown>;
    params.set("ceilingDbtp", "loud");
    expect(calls).toEqual([]);
  });
});
