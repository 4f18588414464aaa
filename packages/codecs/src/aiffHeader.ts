import { fourCC, iterateChunks } from "./chunks.ts";
import { aifcCodecName } from "./codecNames.ts";
import { AudioFormatError } from "./errors.ts";
import { checkStreamLimits, clampDataBytes, type PcmEncoding, type PcmLayout } from "./pcmLayout.ts";

interface AiffComm {
  channels: number;
  frames: number;
  sampleSize: number;
  sampleRate: number;
  compression: string;
}

/**
 * IEEE 754 80-bit extended precision (big-endian), as in the AIFF COMM chunk: 1 sign bit, 15-bit
 * exponent biased by 16383, 64-bit mantissa with an explicit integer bit. Infinity/NaN → NaN.
 */
export function readExtended80(view: DataView, at: number): number {
  const signExp = view.getUint16(at, false);
  const exponent = signExp & 0x7fff;
  const mantissa = view.getUint32(at + 2, false) * 2 ** 32 + view.getUint32(at + 6, false);
  if (exponent === 0x7fff) return Number.NaN;
  if (mantissa === 0) return 0;
  const value = mantissa * 2 ** (exponent - 16383 - 63);
  return signExp & 0x8000 ? -value : value;
}

/** AIFF-C compression types decoded here (uncompressed big/little-endian integer and float). */
export const AIFC_DECODABLE: ReadonlySet<string> = new Set([
  "NONE",
  "twos",
  "sowt",
  "in24",
  "in32",
  "raw ",
  "fl32",
  "FL32",
  "fl64",
  "FL64",
]);

/** Compression type → sample encoding, for the AIFF-C types we decode. */
function encodingOf(comm: AiffComm): { encoding: PcmEncoding; bits: number; littleEndian: boolean } {
  const { compression, sampleSize } = comm;
  const intBits = () => {
    if (sampleSize < 1 || sampleSize > 32)
      throw new AudioFormatError("CORRUPT_HEADER", `corrupt AIFF header: ${sampleSize} bits per sample`);
    return Math.ceil(sampleSize / 8) * 8;
  };
  switch (compression) {
    case "NONE":
    case "twos":
      return { encoding: "int", bits: intBits(), littleEndian: false };
    case "sowt":
      return { encoding: "int", bits: intBits(), littleEndian: true };
    case "in24":
      return { encoding: "int", bits: 24, littleEndian: false };
    case "in32":
      return { encoding: "int", bits: 32, littleEndian: false };
    case "raw ":
      if (intBits() !== 8) break;
      return { encoding: "uint8", bits: 8, littleEndian: false };
    case "fl32":
    case "FL32":
      return { encoding: "float", bits: 32, littleEndian: false };
    case "fl64":
    case "FL64":
      return { encoding: "float", bits: 64, littleEndian: false };
  }
  throw new AudioFormatError("UNSUPPORTED_CODEC", `unsupported codec: ${aifcCodecName(compression)}`);
}

function readComm(view: DataView, head: Uint8Array, at: number, size: number, aifc: boolean): AiffComm {
  const minSize = aifc ? 22 : 18;
  if (size < minSize)
    throw new AudioFormatError(
      "CORRUPT_HEADER",
      `corrupt AIFF header: COMM chunk is ${size} bytes, expected at least ${minSize}`,
    );
  const remaining = head.length - at;
  if (remaining < minSize)
    throw new AudioFormatError(
      "TRUNCATED",
      `truncated AIFF header: COMM chunk is ${size} bytes but only ${remaining} remain`,
    );
  return {
    channels: view.getInt16(at, false),
    frames: view.getUint32(at + 2, false),
    sampleSize: view.getInt16(at + 6, false),
    sampleRate: readExtended80(view, at + 8),
    compression: aifc ? fourCC(head, at + 18) : "NONE",
  };
}

/**
 * Reads an AIFF or AIFF-C header from `head`, the first bytes of a file of `totalBytes` bytes.
 * `head` must reach past the SSND chunk's offset/blockSize fields.
 */
export function parseAiffHeader(fileHead: Uint8Array, totalBytes: number = fileHead.length): PcmLayout {
  const head = fileHead.length > totalBytes ? fileHead.subarray(0, Math.max(0, totalBytes)) : fileHead;
  if (head.length === 0 || totalBytes === 0) throw new AudioFormatError("EMPTY", "empty input: 0 bytes");
  if (head.length < 12) {
    if ("FORM".startsWith(fourCC(head, 0).slice(0, Math.min(4, head.length))))
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated AIFF header: the FORM header needs 12 bytes but the file has ${head.length}`,
      );
    throw new AudioFormatError("NOT_AUDIO", "not an AIFF file (no FORM/AIFF header)");
  }
  const formType = fourCC(head, 8);
  if (fourCC(head, 0) !== "FORM" || (formType !== "AIFF" && formType !== "AIFC"))
    throw new AudioFormatError("NOT_AUDIO", "not an AIFF file (no FORM/AIFF header)");
  const aifc = formType === "AIFC";
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const fileEnd = totalBytes;
  const warnings: string[] = [];
  let comm: AiffComm | undefined;
  let ssnd: { offset: number; audioBytes: number } | undefined;
  let walkEnd = 12;

  for (const c of iterateChunks(head, 12, false)) {
    walkEnd = c.bodyOffset + c.declaredSize;
    if (c.id === "COMM" && !comm) comm = readComm(view, head, c.bodyOffset, c.declaredSize, aifc);
    else if (c.id === "SSND" && !ssnd) {
      if (c.declaredSize !== 0 && c.declaredSize < 8)
        throw new AudioFormatError("CORRUPT_HEADER", `corrupt AIFF header: SSND chunk is ${c.declaredSize} bytes`);
      const remaining = head.length - c.bodyOffset;
      if (remaining < 8)
        throw new AudioFormatError(
          "TRUNCATED",
          `truncated AIFF header: SSND chunk needs 8 bytes of offset/block size but only ${remaining} remain`,
        );
      const offset = view.getUint32(c.bodyOffset, false);
      let audioBytes = c.declaredSize - 8 - offset;
      if (c.declaredSize === 0) {
        warnings.push("SSND chunk size is 0: reading audio to the end of the file");
        audioBytes = fileEnd - (c.bodyOffset + 8 + offset);
      }
      if (audioBytes < 0)
        throw new AudioFormatError(
          "CORRUPT_HEADER",
          `corrupt AIFF header: SSND data offset ${offset} lies beyond the ${c.declaredSize}-byte chunk`,
        );
      ssnd = { offset: c.bodyOffset + 8 + offset, audioBytes };
    }
    if (comm && ssnd) break;
  }

  if (!comm || !ssnd) {
    const what = comm ? "SSND" : "COMM";
    const truncated =
      head.length < fileEnd || walkEnd === 12 || walkEnd > fileEnd || view.getUint32(4, false) + 8 > fileEnd;
    if (!truncated) throw new AudioFormatError("CORRUPT_HEADER", `corrupt AIFF: no ${what} chunk`);
    throw new AudioFormatError(
      "TRUNCATED",
      head.length < fileEnd
        ? `truncated AIFF header: no ${what} chunk in the first ${head.length} bytes (pass more of the file)`
        : `truncated AIFF: the file ends before the ${what} chunk`,
    );
  }

  const { encoding, bits, littleEndian } = encodingOf(comm);
  let sampleRate = comm.sampleRate;
  if (Number.isFinite(sampleRate) && sampleRate !== Math.round(sampleRate)) {
    warnings.push(`sample rate ${sampleRate} Hz rounded to ${Math.round(sampleRate)} Hz`);
    sampleRate = Math.round(sampleRate);
  }
  checkStreamLimits("AIFF", comm.channels, sampleRate);
  const bytesPerFrame = (bits / 8) * comm.channels;
  let declared = comm.frames * bytesPerFrame;
  if (comm.frames === 0 && ssnd.audioBytes > 0) {
    warnings.push("COMM declares 0 sample frames: using the SSND chunk size instead");
    declared = ssnd.audioBytes;
  }
  const available = Math.min(Math.max(0, fileEnd - ssnd.offset), ssnd.audioBytes);
  return {
    container: "aiff",
    sampleRate,
    channels: comm.channels,
    bitsPerSample: bits,
    validBitsPerSample: encoding === "float" || comm.compression.startsWith("in") ? bits : comm.sampleSize,
    encoding,
    littleEndian,
    bytesPerFrame,
    dataOffset: Math.min(ssnd.offset, fileEnd),
    dataBytes: clampDataBytes(declared, available, bytesPerFrame, warnings),
    declaredDataBytes: declared,
    warnings,
  };
}
