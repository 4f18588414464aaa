/**
 * Reads, from its bytes and the document alone, an update that only overwrites values of existing
 * map keys: what a peer sends when it turns a knob or flips a bypass. `UpdateGuard` checks such an
 * update without trying it on its shadow copy first.
 *
 * The reader accepts one exact shape of the Yjs v1 update encoding (yjs 13.6) and returns `null`
 * for anything else, leaving the update to the general path:
 * - a struct section per client, no client twice, none empty, each starting at the document's own
 *   state of that client (nothing missing, nothing already known);
 * - every struct an item holding one `ContentAny` value (a number, a boolean or a short ASCII
 *   string) with an origin and no right origin (so its parent and key are the origin's), whose
 *   origin is the last clock of the item that currently holds a key of a live map: Yjs links it
 *   right of that item without conflict resolution, makes it the key's value and deletes the item
 *   it replaces;
 * - no two structs for the same key of the same map;
 * - a delete set naming only items that are deleted already or that these structs replace;
 * - no bytes left over.
 * On such bytes Yjs's own reader (`readClientsStructRefs`, then `readAndApplyDeleteSet`) reads the
 * same fields in the same order, so applying the update sets exactly the values listed here, deletes
 * nothing else, leaves nothing pending and does not throw. The document must have nothing pending.
 */
import * as Y from "yjs";

/** One key of a map set to a new value by an update. */
export interface MapSet {
  readonly map: Y.Map<unknown>;
  readonly key: string;
  readonly value: number | boolean | string;
}

/**
 * Info byte of an item with an origin, no right origin, and `ContentAny` (content ref 8). Yjs also
 * sets bit 6 ("has a parentSub") on a map value, but with an origin present neither its writer nor
 * its reader puts or reads a parent: the item takes its origin's.
 */
const ORIGIN_ANY_ITEM = 0b1000_0000 | 8;
const PARENT_SUB = 0b0010_0000;
/** lib0 `writeAny` tags of the values read here. */
const ANY_INT = 125;
const ANY_FLOAT32 = 124;
const ANY_FLOAT64 = 123;
const ANY_FALSE = 121;
const ANY_TRUE = 120;
const ANY_STRING = 119;
/** Longer strings are left to the general path (enum options are short). */
const MAX_STRING = 64;
/** Structs the delete set may walk over before the reader gives up (it is bounded by the update's size otherwise). */
const MAX_DELETE_WALK = 1024;

/** Thrown inside the reader on anything outside the accepted shape; never escapes `readMapSets`. */
const OUTSIDE = new Error("outside the accepted shape");

/** lib0's decoding of the fields read here; throws `OUTSIDE` past the end or beyond safe integers. */
class Reader {
  #pos = 0;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#pos === this.#bytes.length;
  }

  byte(): number {
    if (this.#pos >= this.#bytes.length) throw OUTSIDE;
    return this.#bytes[this.#pos++]!;
  }

  /** lib0 `readVarUint`. */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const r = this.byte();
      num += (r & 0x7f) * mult;
      if (num > Number.MAX_SAFE_INTEGER) throw OUTSIDE;
      if (r < 0x80) return num;
      mult *= 128;
    }
  }

  /** lib0 `readVarInt`: sign in bit 6 of the first byte (so `-0` exists), 6 bits there, then 7 per byte. */
  varInt(): number {
    let r = this.byte();
    let num = r & 0x3f;
    let mult = 64;
    const sign = (r & 0x40) > 0 ? -1 : 1;
    while (r >= 0x80) {
      r = this.byte();
      num += (r & 0x7f) * mult;
      if (num > Number.MAX_SAFE_INTEGER) throw OUTSIDE;
      mult *= 128;
    }
    return sign * num;
  }

  /** `n` bytes as a big-endian DataView (lib0 `readFloat32` / `readFloat64`). */
  view(n: number): DataView {
    if (this.#pos + n > this.#bytes.length) throw OUTSIDE;
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#pos, n);
    this.#pos += n;
    return view;
  }

  /** lib0 `readAny`, for the scalar values a parameter holds; anything else is outside. */
  scalar(): number | boolean | string {
    switch (this.byte()) {
      case ANY_INT:
        return this.varInt();
      case ANY_FLOAT32:
        return this.view(4).getFloat32(0, false);
      case ANY_FLOAT64:
        return this.view(8).getFloat64(0, false);
      case ANY_FALSE:
        return false;
      case ANY_TRUE:
        return true;
      case ANY_STRING: {
        // lib0 decodes UTF-8 (fatal on bad bytes); ASCII only here, where every decoder agrees.
        const length = this.varUint();
        if (length > MAX_STRING) throw OUTSIDE;
        let text = "";
        for (let i = 0; i < length; i++) {
          const c = this.byte();
          if (c >= 0x80) throw OUTSIDE;
          text += String.fromCharCode(c);
        }
        return text;
      }
      default:
        throw OUTSIDE;
    }
  }
}

/** The live item holding a key of a map whose last clock is (`client`, `clock`), or `null`. */
function currentValueItem(store: Y.Doc["store"], client: number, clock: number): Y.Item | null {
  const structs = store.clients.get(client);
  if (!structs || clock >= Y.getState(store, client)) return null;
  const item = structs[Y.findIndexSS(structs, clock)];
  if (!(item instanceof Y.Item) || item.deleted || item.id.clock + item.length - 1 !== clock) return null;
  const map = item.parent;
  const key = item.parentSub;
  if (key === null || !(map instanceof Y.Map) || map._map.get(key) !== item || item.right !== null) return null;
  return item.content instanceof Y.ContentAny ? item : null;
}

function read(doc: Y.Doc, update: Uint8Array): MapSet[] | null {
  const store = doc.store;
  if (store.pendingStructs !== null || store.pendingDs !== null) return null;
  const reader = new Reader(update);
  const sets: MapSet[] = [];
  const replaced = new Set<Y.Item | Y.GC>();
  const clients = new Set<number>();
  const sections = reader.varUint();
  if (sections === 0) return null;
  for (let s = 0; s < sections; s++) {
    const count = reader.varUint();
    const client = reader.varUint();
    const clock = reader.varUint();
    // Yjs keeps one section per client (a second replaces the first), so a repeated or empty one is out.
    if (count === 0 || clients.has(client) || clock !== Y.getState(store, client)) return null;
    clients.add(client);
    for (let i = 0; i < count; i++) {
      if ((reader.byte() | PARENT_SUB) !== (ORIGIN_ANY_ITEM | PARENT_SUB)) return null;
      const origin = currentValueItem(store, reader.varUint(), reader.varUint());
      if (reader.varUint() !== 1) return null; // one value per item
      const value = reader.scalar();
      if (origin === null || replaced.has(origin)) return null;
      replaced.add(origin);
      sets.push({ map: origin.parent as Y.Map<unknown>, key: origin.parentSub!, value });
    }
  }
  let walked = 0;
  const deleteClients = reader.varUint();
  for (let c = 0; c < deleteClients; c++) {
    const client = reader.varUint();
    const ranges = reader.varUint();
    const structs = store.clients.get(client);
    const state = Y.getState(store, client);
    for (let i = 0; i < ranges; i++) {
      const clock = reader.varUint();
      const end = clock + reader.varUint();
      if (structs === undefined || end <= clock || end > state) return null;
      for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
        const struct = structs[index]!;
        if (struct.id.clock >= end) break;
        if (!struct.deleted && !replaced.has(struct)) return null;
        if (++walked > MAX_DELETE_WALK) return null;
      }
    }
  }
  return reader.done ? sets : null;
}

/**
 * The map sets `update` consists of, when it has exactly the shape described above against `doc`'s
 * current state; `null` otherwise (including bytes that do not decode). Never throws, never changes `doc`.
 */
export function readMapSets(doc: Y.Doc, update: Uint8Array): MapSet[] | null {
  try {
    return read(doc, update);
  } catch {
    return null;
  }
}
