import type { BiquadCoefs } from "../../biquad";
import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { butterworthQs, designButterworth, MAX_BILINEAR_RATIO } from "./butterworth";
import { loadCoefs, runSection, SECTION_COEFS, SECTION_STATE } from "./section";

/** Slope of the subsonic filter in dB/octave: Butterworth order 2, 4 or 8. */
export type HighpassSlope = "12" | "24" | "48";

/** Parameters of the `highpass` module (packages/chain moduleSpecs: freqHz 5…150 Hz, slope). */
export interface HighpassParams {
  freqHz: number;
  slope: HighpassSlope;
}

const MAX_SECTIONS = 4;
/** Frames per pass over the Float64 scratch buffer. */
const CHUNK = 2048;
/** Section Qs per slope (Butterworth order 2, 4, 8; see `butterworthQs`). */
const QS: Record<HighpassSlope, readonly number[]> = {
  "12": butterworthQs(2),
  "24": butterworthQs(4),
  "48": butterworthQs(8),
};

/**
 * The sections of a Butterworth high-pass of order 2·(slope/12) at `freqHz`: bilinear transform
 * prewarped at f0, so the cascade is exactly −3.01 dB at f0, falls 6.02·order dB/octave below it,
 * and every numerator sums to 0 (DC is removed exactly). Pure.
 */
export function subsonicSections(sampleRate: number, freqHz: number, slope: HighpassSlope): BiquadCoefs[] {
  const qs = QS[slope];
  const c = new Float64Array(qs.length * SECTION_COEFS);
  for (let k = 0; k < qs.length; k++) designButterworth(c, k * SECTION_COEFS, "highpass", sampleRate, freqHz, qs[k]);
  return qs.map((_, k) => loadCoefs(c, k * SECTION_COEFS));
}

/** DC / subsonic high-pass: cascaded Butterworth sections, Float64 state, in place, latency 0. */
export class HighpassProcessor implements ChainProcessor<HighpassParams> {
  readonly latencyFrames = 0;
  private params: HighpassParams;
  private sampleRate = 0;
  private channels = 0;
  private sections = 0;
  private slope: HighpassSlope | null = null;
  private readonly coefs = new Float64Array(MAX_SECTIONS * SECTION_COEFS);
  private state = new Float64Array(0);
  private scratch = new Float64Array(0);

  constructor(params: HighpassParams = { freqHz: 20, slope: "24" }) {
    this.params = { ...params };
    this.check(params);
  }

  setParams(params: HighpassParams): void {
    this.check(params);
    this.params.freqHz = params.freqHz;
    this.params.slope = params.slope;
    if (this.sampleRate > 0) this.design();
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.state = new Float64Array(spec.channels * MAX_SECTIONS * SECTION_STATE);
    this.scratch = new Float64Array(Math.min(spec.maxBlockFrames, CHUNK));
    this.slope = null;
    this.design();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "HighpassProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const buf = this.scratch;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      const so = ch * MAX_SECTIONS * SECTION_STATE;
      for (let off = 0; off < frames; off += buf.length) {
        const n = Math.min(buf.length, frames - off);
        for (let i = 0; i < n; i++) buf[i] = x[off + i]!;
        for (let k = 0; k < this.sections; k++) {
          runSection(buf, n, this.coefs, k * SECTION_COEFS, this.state, so + k * SECTION_STATE);
        }
        for (let i = 0; i < n; i++) x[off + i] = buf[i]!;
      }
    }
  }

  reset(): void {
    this.state.fill(0);
  }

  /** Recomputes the sections; a new slope is a new filter structure, so its state starts from zero. */
  private design(): void {
    const { freqHz, slope } = this.params;
    const qs = QS[slope];
    const f0 = Math.min(freqHz, MAX_BILINEAR_RATIO * this.sampleRate);
    for (let k = 0; k < qs.length; k++)
      designButterworth(this.coefs, k * SECTION_COEFS, "highpass", this.sampleRate, f0, qs[k]);
    this.sections = qs.length;
    if (slope !== this.slope) {
      this.slope = slope;
      this.reset();
    }
  }

  private check(params: HighpassParams): void {
    assertInRange(params.freqHz, 0.01, 100_000, "freqHz");
    if (!Object.hasOwn(QS, params.slope)) {
      throw new DspError("INVALID_ARGUMENT", `slope must be "12", "24" or "48", got ${JSON.stringify(params.slope)}`);
    }
  }
}
