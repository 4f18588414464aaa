import {
  AudioFormatError,
  type DecodedAudio,
  decodeAudio,
  decodePcmFrames,
  type PcmLayout,
  parsePcmHeader,
  pcmCodecName,
  sniff,
} from "@comaster/codecs";
import { CliError } from "./cliError";
import { MAX_IN_MEMORY_BYTES, openAudioFile, readAt } from "./openAudioFile";

/** What the reader learned of a file before its first block. */
export interface AudioStreamInfo {
  readonly format: string;
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number | null;
}

/** What the reader reports once every block has been delivered. */
export interface AudioStreamSummary extends AudioStreamInfo {
  readonly frames: number;
  readonly nonFiniteSamples: number;
  readonly warnings: readonly string[];
}

export interface AudioSink {
  begin(info: AudioStreamInfo): void;
  /** `channels[c]` holds at least `frames` samples; the arrays are reused between calls. */
  block(channels: readonly Float32Array[], frames: number): void;
}

/** Frames handed to the sink per call. */
export const READ_BLOCK_FRAMES = 65_536;
/** Bytes read to find a PCM header (WAV/AIFF chunks before the audio are usually tiny). */
const HEAD_BYTES = 1 << 20;

/**
 * Reads an audio file into `sink` block by block. WAV and AIFF stream from disk (memory stays
 * bounded whatever the file's length); FLAC and MP3 are decoded whole, then delivered in blocks.
 * Every failure is a CliError naming the file.
 */
export async function readAudioFile(path: string, sink: AudioSink): Promise<AudioStreamSummary> {
  const { handle, size } = await openAudioFile(path);
  try {
    const head = await readAt(handle, 0, Math.min(size, HEAD_BYTES));
    const kind = guard(path, () => sniff(head)).format;
    if (kind === "wav" || kind === "aiff") {
      let layout: PcmLayout | undefined;
      try {
        layout = parsePcmHeader(head, size);
      } catch (err) {
        // The audio chunk may start beyond the head (huge metadata chunks): fall through to a whole read.
        if (!(err instanceof AudioFormatError && err.code === "TRUNCATED" && size > head.length)) {
          throw wrap(path, err);
        }
      }
      if (layout) return await streamPcm(path, layout, sink, (pos, len) => readAt(handle, pos, len));
    }
    if (size > MAX_IN_MEMORY_BYTES) {
      throw new CliError("BAD_INPUT", `${path}: file too large to decode in memory (${size} bytes)`);
    }
    const bytes = size === head.length ? head : await readAt(handle, 0, size);
    const decoded = await decodeQuietly(path, bytes);
    const info: AudioStreamInfo = {
      format: decoded.format,
      codec: decoded.codec,
      sampleRate: decoded.sampleRate,
      channels: decoded.channelData.length,
      bitsPerSample: decoded.bitsPerSample,
    };
    sink.begin(info);
    const total = decoded.channelData[0]?.length ?? 0;
    for (let start = 0; start < total; start += READ_BLOCK_FRAMES) {
      const end = Math.min(total, start + READ_BLOCK_FRAMES);
      sink.block(
        decoded.channelData.map((ch) => ch.subarray(start, end)),
        end - start,
      );
    }
    return { ...info, frames: total, nonFiniteSamples: decoded.nonFiniteSamples, warnings: decoded.warnings };
  } finally {
    await handle.close();
  }
}

async function streamPcm(
  path: string,
  layout: PcmLayout,
  sink: AudioSink,
  read: (position: number, length: number) => Promise<Uint8Array>,
): Promise<AudioStreamSummary> {
  const info: AudioStreamInfo = {
    format: layout.container,
    codec: pcmCodecName(layout),
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    bitsPerSample: layout.bitsPerSample,
  };
  const totalFrames = Math.floor(layout.dataBytes / layout.bytesPerFrame);
  if (totalFrames === 0) throw new CliError("BAD_INPUT", `${path}: the file holds no audio frames`);
  sink.begin(info);
  const out = Array.from({ length: layout.channels }, () => new Float32Array(READ_BLOCK_FRAMES));
  const warnings = [...layout.warnings];
  let frames = 0;
  let nonFiniteSamples = 0;
  while (frames < totalFrames) {
    const want = Math.min(READ_BLOCK_FRAMES, totalFrames - frames);
    const bytes = await read(layout.dataOffset + frames * layout.bytesPerFrame, want * layout.bytesPerFrame);
    const got = guard(path, () => decodePcmFrames(layout, bytes, out));
    if (got.frames === 0) {
      warnings.push(`truncated: the file ended after ${frames} of ${totalFrames} frames`);
      break;
    }
    nonFiniteSamples += got.nonFinite;
    sink.block(out, got.frames);
    frames += got.frames;
  }
  return { ...info, frames, nonFiniteSamples, warnings };
}

/**
 * The wasm decoders print to console.error for every damaged frame; the CLI promises one line on
 * stderr, so their chatter is counted and turned into one warning instead.
 */
async function decodeQuietly(path: string, bytes: Uint8Array): Promise<DecodedAudio> {
  const original = console.error;
  let complaints = 0;
  console.error = () => {
    complaints++;
  };
  try {
    const decoded = await decodeAudio(bytes);
    if (complaints > 0) decoded.warnings.push(`the decoder skipped damaged data (${complaints} reports)`);
    return decoded;
  } catch (err) {
    throw wrap(path, err);
  } finally {
    console.error = original;
  }
}

function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw wrap(path, err);
  }
}

function wrap(path: string, err: unknown): unknown {
  if (err instanceof AudioFormatError) return new CliError("BAD_INPUT", `${path}: ${err.message}`, 2, { cause: err });
  return err;
}
