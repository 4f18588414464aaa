import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";

/** Parameters of the `trim` module (packages/chain moduleSpecs: gainDb −24…24 dB, default 0). */
export interface TrimParams {
  gainDb: number;
}

/** Static gain, g = 10^(gainDb/20), one multiplication per sample; exactly transparent at 0 dB. */
export class TrimProcessor implements ChainProcessor<TrimParams> {
  readonly latencyFrames = 0;
  private gain = 1;
  private channels = 0;

  constructor(params: TrimParams = { gainDb: 0 }) {
    this.setParams(params);
  }

  setParams(params: TrimParams): void {
    assertInRange(params.gainDb, -200, 200, "gainDb");
    this.gain = 10 ** (params.gainDb / 20);
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "TrimProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const g = this.gain;
    if (g === 1) return;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      for (let i = 0; i < frames; i++) x[i] = x[i]! * g;
    }
  }

  reset(): void {}
}
