import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../paramRamp";

/** Parameters of the `trim` module (packages/chain moduleSpecs: gainDb −24…24 dB, default 0). */
export interface TrimParams {
  gainDb: number;
}

/** Frames per pass over the gain scratch buffer while the gain glides. */
const CHUNK = 2048;

/**
 * Static gain, g = 10^(gainDb/20), one multiplication per sample; exactly transparent at 0 dB. A live
 * edit glides g linearly over GLIDE_SECONDS (per sample), so a change does not click.
 */
export class TrimProcessor implements ChainProcessor<TrimParams> {
  readonly latencyFrames = 0;
  private readonly gain = new ParamRamp(1);
  private channels = 0;
  private gains = new Float64Array(0);

  constructor(params: TrimParams = { gainDb: 0 }) {
    this.setParams(params);
  }

  setParams(params: TrimParams): void {
    assertInRange(params.gainDb, -200, 200, "gainDb");
    this.gain.setTarget(10 ** (params.gainDb / 20), this.channels === 0);
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    this.gain.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.gain.snap();
    this.gains = new Float64Array(Math.min(spec.maxBlockFrames, CHUNK));
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "TrimProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (this.gain.moving) {
      // The same product per sample as below: a glide that ends inside a block leaves the rest of the
      // block exactly as a settled gain would.
      const gains = this.gains;
      for (let off = 0; off < frames; off += gains.length) {
        const n = Math.min(gains.length, frames - off);
        this.gain.fill(gains, n);
        for (let ch = 0; ch < this.channels; ch++) {
          const x = block[ch]!;
          for (let i = 0; i < n; i++) x[off + i] = x[off + i]! * gains[i]!;
        }
      }
      return;
    }
    const g = this.gain.current;
    if (g === 1) return;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      for (let i = 0; i < frames; i++) x[i] = x[i]! * g;
    }
  }

  reset(): void {
    this.gain.snap();
  }
}
