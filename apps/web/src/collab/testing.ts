/** Test helpers of the collaboration tests (not used by the server). */
import { type Chain, docToChain, MODULE_SPECS, type ParamSpec, setBypass, setParam } from "@comaster/chain";
import type * as Y from "yjs";

/** One random valid edit of a chain document: a bypass, or a parameter set within its range. */
export function randomEdit(doc: Y.Doc, rng: () => number): void {
  const chain = docToChain(doc) as unknown as Chain;
  const modules = chain.modules.filter((m) => m.type !== "multiband"); // crossovers have order rules
  const target = modules[Math.floor(rng() * modules.length)]!;
  if (rng() < 0.2) {
    setBypass(doc, target.id, rng() < 0.5);
    return;
  }
  const specs = MODULE_SPECS[target.type].params as readonly ParamSpec[];
  const spec = specs[Math.floor(rng() * specs.length)]!;
  const value =
    spec.kind === "number"
      ? Math.round((spec.min + rng() * (spec.max - spec.min)) * 10) / 10
      : spec.kind === "enum"
        ? spec.options[Math.floor(rng() * spec.options.length)]!
        : rng() < 0.5;
  setParam(doc, target.id, spec.key, value);
}
