/** RIFF/IFF chunk walking over bytes that may be only the head of a larger file. */

export interface ChunkHeader {
  /** Four-character chunk id, e.g. "fmt ", "data", "COMM". */
  id: string;
  /** Offset of the chunk header in the buffer. */
  headerOffset: number;
  /** Offset of the chunk body (headerOffset + 8). */
  bodyOffset: number;
  /** Size as declared by the header: never trusted, callers clamp it. */
  declaredSize: number;
}

/** Reads four bytes as Latin-1 text. */
export function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(
    bytes[offset] ?? 0,
    bytes[offset + 1] ?? 0,
    bytes[offset + 2] ?? 0,
    bytes[offset + 3] ?? 0,
  );
}

function isPrintableId(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  for (let i = 0; i < 4; i++) {
    const b = bytes[offset + i] as number;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/**
 * Yields every chunk header that lies wholly inside `bytes`, starting at `start`. Iterative, and
 * each step advances by at least 8 bytes, so it ends on any input. Odd-sized chunks are followed
 * by a pad byte; writers that forget it are tolerated when the unpadded position holds a
 * printable chunk id and the padded one does not.
 */
export function* iterateChunks(bytes: Uint8Array, start: number, littleEndian: boolean): Generator<ChunkHeader> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  while (pos + 8 <= bytes.length) {
    const declaredSize = view.getUint32(pos + 4, littleEndian);
    yield { id: fourCC(bytes, pos), headerOffset: pos, bodyOffset: pos + 8, declaredSize };
    let next = pos + 8 + declaredSize;
    if (declaredSize % 2 === 1) {
      next += 1;
      if (!isPrintableId(bytes, next) && isPrintableId(bytes, next - 1)) next -= 1;
    }
    pos = next;
  }
}
