import { DspError } from "./errors";
import { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";

/**
 * Second-order section, normalised so a0 = 1:
 *   H(z) = (b0 + b1·z⁻¹ + b2·z⁻²) / (1 + a1·z⁻¹ + a2·z⁻²)
 * (the sign convention of ITU-R BS.1770-4 Tables 1 and 2).
 */
export interface BiquadCoefs {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** |H(e^{jω})| of a section at `frequency` (Hz) for sample rate `sampleRate`. Pure. */
export function biquadMagnitude(c: BiquadCoefs, frequency: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const nr = c.b0 + c.b1 * c1 + c.b2 * c2;
  const ni = -(c.b1 * s1 + c.b2 * s2);
  const dr = 1 + c.a1 * c1 + c.a2 * c2;
  const di = -(c.a1 * s1 + c.a2 * s2);
  return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

/**
 * A biquad filter with one state per channel, in transposed Direct Form II with double-precision
 * state (the form with the best numerical behaviour in floating point):
 *   y = b0·x + s1;  s1 = b1·x + s2 − a1·y;  s2 = b2·x − a2·y
 * Processes in place. Allocates in `prepare` only.
 */
export class Biquad implements Processor {
  private coefs: BiquadCoefs;
  private channels = 0;
  /** [s1, s2] per channel. */
  private state = new Float64Array(0);

  constructor(coefs: BiquadCoefs) {
    this.coefs = coefs;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    this.state = new Float64Array(2 * spec.channels);
  }

  /** Changes the coefficients and keeps the state (for smoothly varying filters). */
  setCoefs(coefs: BiquadCoefs): void {
    this.coefs = coefs;
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Biquad.process called before prepare");
    assertBlock(block, frames, this.channels);
    const { b0, b1, b2, a1, a2 } = this.coefs;
    const st = this.state;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      let s1 = st[2 * ch]!;
      let s2 = st[2 * ch + 1]!;
      for (let i = 0; i < frames; i++) {
        const v = x[i]!;
        const y = b0 * v + s1;
        s1 = b1 * v + s2 - a1 * y;
        s2 = b2 * v - a2 * y;
        x[i] = y;
      }
      st[2 * ch] = s1;
      st[2 * ch + 1] = s2;
    }
  }

  reset(): void {
    this.state.fill(0);
  }
}
