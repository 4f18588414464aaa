// From the shared chain document to the preview: every change to the Y.Doc's `modules` array (local
// or remote) becomes the smallest message the worklet understands — one `setParam` per changed
// parameter, `setBypass` per toggled module — and anything structural (a module added, removed,
// moved or replaced) a fresh `load`. Values are taken from the validated chain (`readChain`), never
// from the raw document: a change that makes the chain invalid is not heard (the server refuses it).
import { type Chain, modulesOf, readChain } from "@comaster/chain";
import type { ParamValue } from "@comaster/dsp";
import * as Y from "yjs";

/** What the preview does with the changes; `receivedAt` is when the document changed (performance.now()). */
export interface ChainSink {
  load(chain: Chain): void;
  setParam(moduleId: string, key: string, value: ParamValue, receivedAt: number): void;
  setBypass(moduleId: string, bypass: boolean, receivedAt: number): void;
}

/**
 * Observes `doc` until the returned function is called. The observer runs synchronously inside the
 * transaction that applied the update (a remote update: in the WebSocket message handler), so
 * `receivedAt` is the moment the update arrived in this page, to within the decode.
 */
export function followChain(doc: Y.Doc, sink: ChainSink, now: () => number = () => performance.now()): () => void {
  const modules = modulesOf(doc);
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const receivedAt = now();
    let chain: Chain;
    try {
      chain = readChain(doc);
    } catch {
      return; // invalid for now: keep playing the last valid chain
    }
    const byId = new Map(chain.modules.map((m) => [m.id, m]));
    const params: { moduleId: string; key: string; value: ParamValue }[] = [];
    const bypasses: { moduleId: string; bypass: boolean }[] = [];
    let structural = false;
    for (const event of events) {
      const target = event.target;
      if (target === modules) {
        structural = true;
        break;
      }
      // A module's own map: `bypass` is live; anything else (type, id, params replaced) is structural.
      if (target instanceof Y.Map && target.parent === modules) {
        const id = target.get("id");
        const m = typeof id === "string" ? byId.get(id) : undefined;
        for (const key of event.keys.keys()) {
          if (key === "bypass" && m) bypasses.push({ moduleId: m.id, bypass: m.bypass });
          else structural = true;
        }
        continue;
      }
      // A module's params map.
      const owner = target.parent;
      if (target instanceof Y.Map && owner instanceof Y.Map && owner.parent === modules) {
        const id = owner.get("id");
        const m = typeof id === "string" ? byId.get(id) : undefined;
        if (!m) {
          structural = true;
          continue;
        }
        const values = m.params as Readonly<Record<string, ParamValue>>;
        for (const key of event.keys.keys()) {
          if (Object.hasOwn(values, key)) params.push({ moduleId: m.id, key, value: values[key]! });
          else structural = true;
        }
        continue;
      }
      structural = true;
    }
    if (structural) return sink.load(chain);
    for (const b of bypasses) sink.setBypass(b.moduleId, b.bypass, receivedAt);
    for (const p of params) sink.setParam(p.moduleId, p.key, p.value, receivedAt);
  };
  modules.observeDeep(observer);
  return () => modules.unobserveDeep(observer);
}
