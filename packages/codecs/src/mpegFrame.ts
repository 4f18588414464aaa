/** MPEG audio frame headers (ISO/IEC 11172-3 §2.4.2.3, ISO/IEC 13818-3, and the MPEG-2.5 extension). */

export interface MpegFrameHeader {
  version: "1" | "2" | "2.5";
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  /** 1 when the channel-mode bits say single channel, else 2. */
  channels: 1 | 2;
  /** Length of the whole frame in bytes, header included. */
  frameBytes: number;
  samplesPerFrame: number;
}

// kbps by bitrate index 1–14 (index 0 is free format, 15 is forbidden).
const BITRATES = {
  v1l1: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = { "1": [44100, 48000, 32000], "2": [22050, 24000, 16000], "2.5": [11025, 12000, 8000] };

/**
 * Parses the 4-byte header at `pos`, or returns undefined when it is not a plausible frame:
 * no sync, reserved version/layer/sample rate/emphasis, free-format or forbidden bitrate.
 */
export function parseMpegFrameHeader(bytes: Uint8Array, pos: number): MpegFrameHeader | undefined {
  if (pos < 0 || pos + 4 > bytes.length) return undefined;
  const b1 = bytes[pos + 1] as number;
  const b2 = bytes[pos + 2] as number;
  const b3 = bytes[pos + 3] as number;
  if (bytes[pos] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15) return undefined;
  if (rateIndex === 3 || (b3 & 3) === 2) return undefined;
  const version = versionBits === 3 ? "1" : versionBits === 2 ? "2" : "2.5";
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table =
    version === "1"
      ? layer === 1
        ? BITRATES.v1l1
        : layer === 2
          ? BITRATES.v1l2
          : BITRATES.v1l3
      : layer === 1
        ? BITRATES.v2l1
        : BITRATES.v2l23;
  const bitrateKbps = table[bitrateIndex - 1] as number;
  const sampleRate = SAMPLE_RATES[version][rateIndex] as number;
  const padding = (b2 >> 1) & 1;
  const bps = bitrateKbps * 1000;
  let frameBytes: number;
  let samplesPerFrame: number;
  if (layer === 1) {
    frameBytes = (Math.floor((12 * bps) / sampleRate) + padding) * 4;
    samplesPerFrame = 384;
  } else if (layer === 2 || version === "1") {
    frameBytes = Math.floor((144 * bps) / sampleRate) + padding;
    samplesPerFrame = 1152;
  } else {
    frameBytes = Math.floor((72 * bps) / sampleRate) + padding;
    samplesPerFrame = 576;
  }
  return { version, layer, bitrateKbps, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, frameBytes, samplesPerFrame };
}

/** Total size of the ID3v2 tags at `pos` (0 when there is none); may exceed the buffer. */
export function id3v2Length(bytes: Uint8Array, pos = 0): number {
  let end = pos;
  // Tags may be stacked; each iteration advances by at least 10 bytes.
  while (end + 10 <= bytes.length && bytes[end] === 0x49 && bytes[end + 1] === 0x44 && bytes[end + 2] === 0x33) {
    const sizeBytes = bytes.subarray(end + 6, end + 10);
    if (sizeBytes.some((b) => b > 0x7f)) break;
    const size = sizeBytes.reduce((acc, b) => acc * 128 + b, 0);
    const footer = ((bytes[end + 5] as number) & 0x10) !== 0 ? 10 : 0;
    end += 10 + size + footer;
  }
  return end - pos;
}

export interface MpegStreamStart {
  offset: number;
  header: MpegFrameHeader;
}

/**
 * Finds the first MPEG audio frame at or after `from`, scanning at most `maxScan` bytes. A frame
 * counts when the next frame follows with the same version, layer and sample rate, when it ends
 * exactly at the end of the buffer, or (at `from` only) when the buffer ends inside it; `trustFirst` (e.g. right after an ID3 tag) accepts a lone
 * plausible header at `from`.
 */
export function findMpegStream(
  bytes: Uint8Array,
  from: number,
  maxScan: number,
  trustFirst = false,
): MpegStreamStart | undefined {
  const last = Math.min(bytes.length - 4, from + maxScan);
  for (let pos = from; pos <= last; pos++) {
    if (bytes[pos] !== 0xff) continue;
    const header = parseMpegFrameHeader(bytes, pos);
    if (!header) continue;
    if (trustFirst && pos === from) return { offset: pos, header };
    const nextPos = pos + header.frameBytes;
    // A lone frame that fills (or is cut off by) the end of the buffer.
    if (nextPos === bytes.length || (pos === from && nextPos > bytes.length)) return { offset: pos, header };
    const next = parseMpegFrameHeader(bytes, nextPos);
    if (next && next.version === header.version && next.layer === header.layer && next.sampleRate === header.sampleRate)
      return { offset: pos, header };
  }
  return undefined;
}
