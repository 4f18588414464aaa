import { assertInRange, assertInteger, DspError } from "./errors";

/**
 * The one processor contract (after JUCE dsp): `prepare` allocates, `process` runs on blocks of any
 * size without allocating, `reset` clears state but keeps the allocation.
 */

/** Planar audio: one array per channel. */
export type SampleBuffer = Float32Array | Float64Array;

export interface ProcessSpec {
  readonly sampleRate: number;
  readonly channels: number;
  /** Largest block `process` will be given; processors that need scratch space size it from this. */
  readonly maxBlockFrames: number;
}

export interface Processor {
  prepare(spec: ProcessSpec): void;
  /** Consumes `frames` frames of every channel of `block`, starting at index 0. */
  process(block: readonly SampleBuffer[], frames: number): void;
  reset(): void;
}

/** Throws INVALID_ARGUMENT for a spec no processor can honour. */
export function assertSpec(spec: ProcessSpec): void {
  assertInRange(spec.sampleRate, 1, 10_000_000, "sampleRate");
  assertInteger(spec.channels, 1, 1024, "channels");
  assertInteger(spec.maxBlockFrames, 1, 1 << 24, "maxBlockFrames");
}

/** Throws INVALID_ARGUMENT unless `block` holds `channels` arrays of at least `frames` samples. */
export function assertBlock(block: readonly SampleBuffer[], frames: number, channels: number): void {
  if (block.length !== channels) {
    throw new DspError("INVALID_ARGUMENT", `block has ${block.length} channels, expected ${channels}`);
  }
  if (!(Number.isInteger(frames) && frames >= 0)) {
    throw new DspError("INVALID_ARGUMENT", `frames must be a non-negative integer, got ${frames}`);
  }
  for (let c = 0; c < channels; c++) {
    if (block[c]!.length < frames) {
      throw new DspError(
        "INVALID_ARGUMENT",
        `channel ${c} has ${block[c]!.length} samples, fewer than frames=${frames}`,
      );
    }
  }
}
