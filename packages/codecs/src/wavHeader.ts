import { fourCC, iterateChunks } from "./chunks.ts";
import { wavCodecName } from "./codecNames.ts";
import { AudioFormatError } from "./errors.ts";
import { checkStreamLimits, clampDataBytes, getUint64, type PcmEncoding, type PcmLayout } from "./pcmLayout.ts";

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 8–15 of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT ({xxxxxxxx-0000-0010-8000-00AA00389B71}). */
const SUBFORMAT_GUID_TAIL = [0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

interface WavFmt {
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  validBits: number;
}

/** WAV format tag of a RIFF/RIFX/RF64 head, or undefined when no whole fmt chunk is present. */
export function wavFormatTag(head: Uint8Array): number | undefined {
  const littleEndian = fourCC(head, 0) !== "RIFX";
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (const c of iterateChunks(head, 12, littleEndian)) {
    if (c.id !== "fmt ") continue;
    if (c.bodyOffset + 2 > head.length) return undefined;
    const tag = view.getUint16(c.bodyOffset, littleEndian);
    if (tag !== WAVE_FORMAT_EXTENSIBLE) return tag;
    if (c.declaredSize < 40 || c.bodyOffset + 40 > head.length) return tag;
    return view.getUint16(c.bodyOffset + 24, littleEndian);
  }
  return undefined;
}

function readFmt(view: DataView, bytes: Uint8Array, at: number, size: number, le: boolean): WavFmt {
  const formatTag = view.getUint16(at, le);
  const fmt: WavFmt = {
    formatTag,
    channels: view.getUint16(at + 2, le),
    sampleRate: view.getUint32(at + 4, le),
    blockAlign: view.getUint16(at + 12, le),
    bitsPerSample: view.getUint16(at + 14, le),
    validBits: 0,
  };
  if (formatTag !== WAVE_FORMAT_EXTENSIBLE) return fmt;
  if (size < 40)
    throw new AudioFormatError(
      "CORRUPT_HEADER",
      `corrupt WAV header: WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, expected 40`,
    );
  const subFormat = view.getUint16(at + 24, le);
  for (let i = 0; i < 8; i++) {
    if (bytes[at + 32 + i] !== SUBFORMAT_GUID_TAIL[i]) {
      const guid = Array.from(bytes.subarray(at + 24, at + 40), (b) => b.toString(16).padStart(2, "0"));
      throw new AudioFormatError(
        "UNSUPPORTED_CODEC",
        `unsupported codec: WAVE_FORMAT_EXTENSIBLE with sub-format GUID ${guid.join("")}`,
      );
    }
  }
  fmt.formatTag = subFormat;
  fmt.validBits = view.getUint16(at + 18, le);
  return fmt;
}

function layoutOf(
  fmt: WavFmt,
  warnings: string[],
): {
  encoding: PcmEncoding;
  containerBits: number;
  validBits: number;
} {
  const { formatTag, channels, sampleRate, blockAlign, bitsPerSample: bits } = fmt;
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT)
    throw new AudioFormatError("UNSUPPORTED_CODEC", `unsupported codec: ${wavCodecName(formatTag)}`);
  checkStreamLimits("WAV", channels, sampleRate);
  if (bits === 0) throw new AudioFormatError("CORRUPT_HEADER", "corrupt WAV header: 0 bits per sample");
  if (blockAlign === 0 || blockAlign % channels !== 0)
    throw new AudioFormatError(
      "CORRUPT_HEADER",
      `corrupt WAV header: block align ${blockAlign} is not a whole number of bytes for each of ${channels} channels`,
    );
  const containerBits = (blockAlign / channels) * 8;
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits !== 32 && bits !== 64)
      throw new AudioFormatError("UNSUPPORTED_FORMAT", `unsupported WAV: ${bits}-bit float samples`);
    if (containerBits !== bits)
      throw new AudioFormatError(
        "CORRUPT_HEADER",
        `corrupt WAV header: block align mismatch: ${channels} × ${bits}-bit float needs ${(channels * bits) / 8} bytes per frame, header says ${blockAlign}`,
      );
    return { encoding: "float", containerBits, validBits: bits };
  }
  if (bits > 32) throw new AudioFormatError("UNSUPPORTED_FORMAT", `unsupported WAV: ${bits}-bit integer samples`);
  if (containerBits !== Math.ceil(bits / 8) * 8)
    throw new AudioFormatError(
      "CORRUPT_HEADER",
      `corrupt WAV header: block align mismatch: ${channels} × ${bits}-bit samples need ${channels * Math.ceil(bits / 8)} bytes per frame, header says ${blockAlign}`,
    );
  let validBits = bits;
  if (fmt.validBits > 0 && fmt.validBits <= bits) validBits = fmt.validBits;
  else if (fmt.validBits > bits)
    warnings.push(`ignored valid-bits field (${fmt.validBits}) larger than the sample size (${bits})`);
  return { encoding: containerBits === 8 ? "uint8" : "int", containerBits, validBits };
}

/**
 * Reads a WAV header (RIFF, RIFX big-endian, or RF64) from `head`, the first bytes of a file of
 * `totalBytes` bytes. `head` must reach at least to the start of the data chunk; pass the whole
 * file or a prefix of it (a few KiB is usually enough; a TRUNCATED error tells you to pass more).
 */
export function parseWavHeader(fileHead: Uint8Array, totalBytes: number = fileHead.length): PcmLayout {
  const head = fileHead.length > totalBytes ? fileHead.subarray(0, Math.max(0, totalBytes)) : fileHead;
  if (head.length === 0 || totalBytes === 0) throw new AudioFormatError("EMPTY", "empty input: 0 bytes");
  const riff = fourCC(head, 0);
  if (head.length < 12) {
    if (riff.startsWith("RIFF".slice(0, head.length)) || riff.startsWith("RIFX".slice(0, head.length)))
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated WAV header: the RIFF header needs 12 bytes but the file has ${head.length}`,
      );
    throw new AudioFormatError("NOT_AUDIO", "not a WAV file (no RIFF/WAVE header)");
  }
  if ((riff !== "RIFF" && riff !== "RIFX" && riff !== "RF64") || fourCC(head, 8) !== "WAVE")
    throw new AudioFormatError("NOT_AUDIO", "not a WAV file (no RIFF/WAVE header)");
  const le = riff !== "RIFX";
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const warnings: string[] = [];
  const fileEnd = Math.min(totalBytes, Number.MAX_SAFE_INTEGER);
  let fmt: WavFmt | undefined;
  let rf64DataSize: number | undefined;
  let data: { offset: number; declared: number } | undefined;
  let walkEnd = 12;

  for (const c of iterateChunks(head, 12, le)) {
    walkEnd = c.bodyOffset + c.declaredSize;
    const remaining = head.length - c.bodyOffset;
    if (c.id === "ds64" && riff === "RF64") {
      if (remaining < 16)
        throw new AudioFormatError(
          "TRUNCATED",
          `truncated WAV header: ds64 chunk needs 16 bytes but only ${remaining} remain`,
        );
      rf64DataSize = getUint64(view, c.bodyOffset + 8, true);
    } else if (c.id === "fmt " && !fmt) {
      if (c.declaredSize < 16)
        throw new AudioFormatError(
          "CORRUPT_HEADER",
          `corrupt WAV header: fmt chunk is ${c.declaredSize} bytes, expected at least 16`,
        );
      const needed = Math.min(c.declaredSize, 40);
      if (remaining < needed)
        throw new AudioFormatError(
          "TRUNCATED",
          `truncated WAV header: fmt chunk is ${c.declaredSize} bytes but only ${remaining} remain`,
        );
      fmt = readFmt(view, head, c.bodyOffset, c.declaredSize, le);
    } else if (c.id === "data" && !data) {
      let declared = c.declaredSize;
      const toEnd = fileEnd - c.bodyOffset;
      if (riff === "RF64" && declared === 0xffffffff && rf64DataSize !== undefined) declared = rf64DataSize;
      else if (declared === 0 || declared === 0xffffffff) {
        warnings.push(`data chunk size is ${declared === 0 ? 0 : "0xFFFFFFFF"}: reading audio to the end of the file`);
        declared = Math.max(0, toEnd);
      }
      data = { offset: c.bodyOffset, declared };
      if (fmt || declared >= toEnd) break;
    }
  }

  if (!fmt || !data) {
    const what = fmt ? "data" : "fmt";
    const riffSize = view.getUint32(4, le);
    const truncated =
      head.length < fileEnd || walkEnd === 12 || walkEnd > fileEnd || (riff !== "RF64" && riffSize + 8 > fileEnd);
    if (!truncated) throw new AudioFormatError("CORRUPT_HEADER", `corrupt WAV: no ${what} chunk`);
    throw new AudioFormatError(
      "TRUNCATED",
      head.length < fileEnd
        ? `truncated WAV header: no ${what} chunk in the first ${head.length} bytes (pass more of the file)`
        : `truncated WAV: the file ends before the ${what} chunk`,
    );
  }
  const { encoding, containerBits, validBits } = layoutOf(fmt, warnings);
  const bytesPerFrame = (containerBits / 8) * fmt.channels;
  return {
    container: "wav",
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bitsPerSample: containerBits,
    validBitsPerSample: validBits,
    encoding,
    littleEndian: le,
    bytesPerFrame,
    dataOffset: data.offset,
    dataBytes: clampDataBytes(data.declared, fileEnd - data.offset, bytesPerFrame, warnings),
    declaredDataBytes: data.declared,
    warnings,
  };
}
