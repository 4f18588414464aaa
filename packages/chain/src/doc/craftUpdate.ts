/**
 * Test-only: Yjs v1 updates written field by field, so that tests can send what no honest peer
 * would (a client's section twice or empty, an origin that is not a key's value, a delete set naming
 * a live item, a value of another type, bytes left over), and a seeded generator of such updates
 * around the shape `readMapSets` accepts. The encodings follow lib0 (`writeVarUint`, `writeVarInt`,
 * `writeAny`) and Yjs (`writeStructs`, `writeDeleteSet`). `index.ts` does not export it.
 */
import * as Y from "yjs";
import { MODULE_SPECS, type ModuleType } from "../moduleSpecs.ts";
import { metaOf, modulesOf } from "./chainDoc.ts";

/** One item: its info byte (default: origin, no right origin, `ContentAny`), origin and encoded values. */
export interface CraftedItem {
  info?: number;
  origin: readonly [client: number, clock: number];
  values: readonly (readonly number[])[];
}

export interface CraftedUpdate {
  sections: readonly { client: number; clock: number; items: readonly CraftedItem[] }[];
  deletes: readonly { client: number; ranges: readonly (readonly [clock: number, length: number])[] }[];
  trailing?: readonly number[];
}

function varUint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** lib0 `writeVarInt`: sign in bit 6 of the first byte (−0 included). */
function varInt(out: number[], n: number): void {
  const negative = n < 0 || Object.is(n, -0);
  let rest = Math.abs(n);
  out.push((rest > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) | (rest & 0x3f));
  rest = Math.floor(rest / 64);
  while (rest > 0) {
    out.push((rest > 0x7f ? 0x80 : 0) | (rest & 0x7f));
    rest = Math.floor(rest / 128);
  }
}

function utf8(text: string): number[] {
  const out: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

function bigEndian(write: (view: DataView) => void, size: number): number[] {
  const view = new DataView(new ArrayBuffer(size));
  write(view);
  return [...new Uint8Array(view.buffer)];
}

/**
 * One lib0 `writeAny` value; `as` forces a number's encoding (Yjs itself picks `int` for integers
 * up to 2^31, then `float32` when exact, else `float64`).
 */
export function encodeAny(value: unknown, as?: "int" | "float32" | "float64"): number[] {
  const out: number[] = [];
  if (value === undefined) out.push(127);
  else if (value === null) out.push(126);
  else if (typeof value === "boolean") out.push(value ? 120 : 121);
  else if (typeof value === "string") {
    const bytes = utf8(value);
    out.push(119);
    varUint(out, bytes.length);
    out.push(...bytes);
  } else if (typeof value === "number") {
    const kind =
      as ??
      (Number.isInteger(value) && Math.abs(value) <= 0x7fffffff
        ? "int"
        : Math.fround(value) === value
          ? "float32"
          : "float64");
    if (kind === "int") {
      out.push(125);
      varInt(out, value);
    } else if (kind === "float32") out.push(124, ...bigEndian((v) => v.setFloat32(0, value), 4));
    else out.push(123, ...bigEndian((v) => v.setFloat64(0, value), 8));
  } else if (Array.isArray(value)) {
    out.push(117);
    varUint(out, value.length);
    for (const v of value) out.push(...encodeAny(v));
  } else {
    const entries = Object.entries(value as object);
    out.push(118);
    varUint(out, entries.length);
    for (const [k, v] of entries) out.push(...encodeAny(k).slice(1), ...encodeAny(v));
  }
  return out;
}

/** The bytes of `update`. */
export function craftUpdate(update: CraftedUpdate): Uint8Array {
  const out: number[] = [];
  varUint(out, update.sections.length);
  for (const { client, clock, items } of update.sections) {
    varUint(out, items.length);
    varUint(out, client);
    varUint(out, clock);
    for (const item of items) {
      out.push(item.info ?? 0x80 | 8);
      varUint(out, item.origin[0]);
      varUint(out, item.origin[1]);
      varUint(out, item.values.length);
      for (const value of item.values) out.push(...value);
    }
  }
  varUint(out, update.deletes.length);
  for (const { client, ranges } of update.deletes) {
    varUint(out, client);
    varUint(out, ranges.length);
    for (const [clock, length] of ranges) {
      varUint(out, clock);
      varUint(out, length);
    }
  }
  out.push(...(update.trailing ?? []));
  return Uint8Array.from(out);
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** A value for a key of `map`: mostly a valid or near-valid parameter value, sometimes anything. */
function randomValue(rng: () => number, map: Y.Map<unknown>, key: string): number[] {
  const module = map._item?.parent;
  const type = module instanceof Y.Map ? (module.get("type") as ModuleType) : undefined;
  const spec = type && MODULE_SPECS[type]?.params.find((s) => s.key === key);
  const r = rng();
  if (spec && r < 0.7) {
    if (spec.kind === "number") {
      const v = spec.min + (spec.max - spec.min) * (rng() * 1.2 - 0.1);
      return rng() < 0.2 ? encodeAny(Math.round(v)) : encodeAny(v, rng() < 0.1 ? "float32" : undefined);
    }
    if (spec.kind === "enum") return encodeAny(rng() < 0.9 ? pick(rng, spec.options) : "no-such-option");
    return encodeAny(rng() < 0.9 ? rng() < 0.5 : "yes");
  }
  return pick(rng, [
    () => encodeAny(rng() < 0.5),
    () => encodeAny(-0),
    () => encodeAny(Number.NaN),
    () => encodeAny(null),
    () => encodeAny(undefined),
    () => encodeAny({ x: 1 }),
    () => encodeAny([1, 2]),
    () => encodeAny("x".repeat(Math.floor(rng() * 100))),
    () => encodeAny("gr\u00fcn"),
    () => encodeAny(2 ** 40),
    () => [125, 0xff], // a varint cut short
    () => [Math.floor(rng() * 256)],
  ])();
}

/**
 * A seeded update that sets one to three keys of `doc` (a chain document) the way a knob turn does,
 * and now and then breaks one rule of that shape: a stale or foreign origin, a wrong clock, a
 * repeated or empty section, another info byte, two values, a delete set naming something else,
 * bytes left over or missing.
 */
export function randomMapSetUpdate(doc: Y.Doc, rng: () => number): Uint8Array {
  const store = doc.store;
  const modules = modulesOf(doc).toArray();
  /** A key's current item: mostly a parameter's, sometimes a bypass flag, another module key, meta. */
  const valueItem = (): { map: Y.Map<unknown>; key: string; item: Y.Item } => {
    const r = rng();
    const module = pick(rng, modules);
    const params = module.get("params");
    const map = r < 0.05 ? metaOf(doc) : r < 0.25 || !(params instanceof Y.Map) ? module : params;
    const key = map === module && rng() < 0.8 ? "bypass" : pick(rng, [...map._map.keys()]);
    return { map, key, item: map._map.get(key)! };
  };
  const clients = [...store.clients.keys()];
  // Sections of known clients, but not the document's own: Yjs would give it a new id (and say so on the console).
  const peers = clients.filter((client) => client !== doc.clientID);
  const structsOf = (client: number) => store.clients.get(client)!;
  const replaced: Y.Item[] = [];
  const sections: { client: number; clock: number; items: CraftedItem[] }[] = [];
  const sectionCount = rng() < 0.85 ? 1 : 2 + Math.floor(rng() * 2);
  for (let s = 0; s < sectionCount; s++) {
    const previous = sections.at(-1);
    // now and then the previous section's client again (Yjs keeps only a client's last section)
    const again = previous !== undefined && rng() < 0.3;
    const client = again
      ? previous.client
      : rng() < 0.85 || peers.length === 0
        ? 1 + Math.floor(rng() * 2 ** 31)
        : pick(rng, peers);
    const clock = again
      ? previous.clock
      : Math.max(0, Y.getState(store, client) + (rng() < 0.93 ? 0 : pick(rng, [-1, 1])));
    const items: CraftedItem[] = [];
    const count = rng() < 0.04 ? 0 : 1 + Math.floor(rng() * 3);
    for (let i = 0; i < count; i++) {
      const { map, key, item } = valueItem();
      const r = rng();
      const struct = pick(rng, structsOf(pick(rng, clients)));
      const origin: [number, number] =
        r < 0.04
          ? [item.id.client, item.id.clock - 1]
          : r < 0.08
            ? [struct.id.client, struct.id.clock + struct.length - 1]
            : r < 0.1
              ? [item.id.client, Y.getState(store, item.id.client)]
              : r < 0.12 && i > 0
                ? [client, clock + i - 1]
                : [item.id.client, item.id.clock + item.length - 1];
      const v = rng();
      const values =
        v < 0.03
          ? []
          : v < 0.06
            ? [randomValue(rng, map, key), randomValue(rng, map, key)]
            : [randomValue(rng, map, key)];
      const info = rng() < 0.03 ? pick(rng, [8, 0x80 | 0x40 | 8, 0x80 | 0x20 | 8, 0x80 | 2, 0x80 | 10]) : undefined;
      items.push(info === undefined ? { origin, values } : { info, origin, values });
      replaced.push(item);
    }
    sections.push({ client, clock, items });
  }
  if (rng() < 0.05) sections.push({ ...sections[0]!, items: rng() < 0.5 ? [] : sections[0]!.items });
  const ranges = new Map<number, [number, number][]>();
  const del = (client: number, clock: number, length: number) => {
    if (!ranges.has(client)) ranges.set(client, []);
    ranges.get(client)!.push([clock, length]);
  };
  for (const item of replaced) if (rng() < 0.9) del(item.id.client, item.id.clock, item.length);
  if (rng() < 0.15) {
    const r = rng();
    if (r < 0.4) {
      const struct = pick(rng, structsOf(pick(rng, clients)));
      del(struct.id.client, struct.id.clock, 1 + Math.floor(rng() * 2)); // something older, live or not
    } else if (r < 0.6)
      del(sections[0]!.client, sections[0]!.clock, 1); // the update's own first item
    else if (r < 0.8)
      del(pick(rng, clients), 0, 0); // an empty range
    else del(1 + Math.floor(rng() * 2 ** 31), 0, 1); // a client nobody knows
  }
  const bytes = craftUpdate({
    sections,
    deletes: [...ranges].map(([client, r]) => ({ client, ranges: r })),
    ...(rng() < 0.03 ? { trailing: [0] } : {}),
  });
  return rng() < 0.03 ? bytes.slice(0, Math.floor(rng() * bytes.length)) : bytes;
}
