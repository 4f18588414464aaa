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
import { MAX_IN_MEMORY_BYTES, type OpenedFile, openAudioFile, readAt } from "./openAudioFile";

/** What is known of a file once it is open. */
export interface AudioStreamInfo {
  readonly format: string;
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number | null;
  readonly frames: number;
}

export interface AudioBlock {
  /** `channels[c]` holds at least `frames` samples; the arrays may be reused between blocks. */
  readonly channels: readonly Float32Array[];
  readonly frames: number;
}

/**
 * An audio file opened for reading in blocks, as often as needed (the master reads it once per pass).
 * WAV and AIFF stream from disk, so memory stays bounded whatever the length; FLAC and MP3 are
 * decoded once, whole. Every failure is a CliError naming the file.
 */
export interface AudioFileSource extends AudioStreamInfo {
  blocks(): AsyncIterable<AudioBlock>;
  /** Non-finite samples replaced by silence and decoder warnings, as seen by the first full read. */
  readonly nonFiniteSamples: number;
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** Frames per block handed out. */
export const READ_BLOCK_FRAMES = 65_536;
/** Bytes read to find a PCM header (WAV/AIFF chunks before the audio are usually tiny). */
const HEAD_BYTES = 1 << 20;

export async function openAudioSource(path: string): Promise<AudioFileSource> {
  const file = await openAudioFile(path);
  try {
    const head = await readAt(file.handle, 0, Math.min(file.size, HEAD_BYTES));
    const kind = guard(path, () => sniff(head)).format;
    if (kind === "wav" || kind === "aiff") {
      let layout: PcmLayout | undefined;
      try {
        layout = parsePcmHeader(head, file.size);
      } catch (err) {
        // The audio chunk may start beyond the head (huge metadata chunks): fall through to a whole read.
        if (!(err instanceof AudioFormatError && err.code === "TRUNCATED" && file.size > head.length)) {
          throw wrap(path, err);
        }
      }
      if (layout) return pcmSource(path, file, layout);
    }
    if (file.size > MAX_IN_MEMORY_BYTES) {
      throw new CliError("BAD_INPUT", `${path}: file too large to decode in memory (${file.size} bytes)`);
    }
    const bytes = file.size === head.length ? head : await readAt(file.handle, 0, file.size);
    await file.handle.close();
    return memorySource(await decodeQuietly(path, bytes));
  } catch (err) {
    await file.handle.close().catch(() => {});
    throw err;
  }
}

function pcmSource(path: string, file: OpenedFile, layout: PcmLayout): AudioFileSource {
  const totalFrames = Math.floor(layout.dataBytes / layout.bytesPerFrame);
  if (totalFrames === 0) throw new CliError("BAD_INPUT", `${path}: the file holds no audio frames`);
  const warnings = [...layout.warnings];
  let nonFiniteSamples = 0;
  let firstReadDone = false;
  let frames = totalFrames;
  const source: AudioFileSource = {
    format: layout.container,
    codec: pcmCodecName(layout),
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    bitsPerSample: layout.bitsPerSample,
    get frames() {
      return frames;
    },
    get nonFiniteSamples() {
      return nonFiniteSamples;
    },
    warnings,
    async *blocks() {
      const out = Array.from({ length: layout.channels }, () => new Float32Array(READ_BLOCK_FRAMES));
      const counting = !firstReadDone;
      let at = 0;
      while (at < frames) {
        const want = Math.min(READ_BLOCK_FRAMES, frames - at);
        const bytes = await readAt(
          file.handle,
          layout.dataOffset + at * layout.bytesPerFrame,
          want * layout.bytesPerFrame,
        );
        const got = guard(path, () => decodePcmFrames(layout, bytes, out));
        if (got.frames === 0) {
          // The file shrank while we read it: report, and keep the length consistent for later passes.
          warnings.push(`truncated: the file ended after ${at} of ${frames} frames`);
          frames = at;
          break;
        }
        if (counting) nonFiniteSamples += got.nonFinite;
        yield { channels: out, frames: got.frames };
        at += got.frames;
      }
      if (counting) firstReadDone = true;
    },
    close: () => file.handle.close(),
  };
  return source;
}

function memorySource(decoded: DecodedAudio): AudioFileSource {
  const frames = decoded.channelData[0]?.length ?? 0;
  return {
    format: decoded.format,
    codec: decoded.codec,
    sampleRate: decoded.sampleRate,
    channels: decoded.channelData.length,
    bitsPerSample: decoded.bitsPerSample,
    frames,
    nonFiniteSamples: decoded.nonFiniteSamples,
    warnings: decoded.warnings,
    async *blocks() {
      for (let at = 0; at < frames; at += READ_BLOCK_FRAMES) {
        const end = Math.min(frames, at + READ_BLOCK_FRAMES);
        yield { channels: decoded.channelData.map((ch) => ch.subarray(at, end)), frames: end - at };
      }
    },
    close: async () => {},
  };
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
    if ((decoded.channelData[0]?.length ?? 0) === 0) {
      throw new CliError("BAD_INPUT", `${path}: the file holds no audio frames`);
    }
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
