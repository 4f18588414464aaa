import type { BiquadCoefs } from "../../biquad";
import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GlideClock } from "../glideClock";
import { glideTicks, ParamRamp } from "../paramRamp";
import { butterworthQs, designButterworth, MAX_BILINEAR_RATIO } from "./butterworth";
import { GlidingCascade } from "./glidingCascade";
import { loadCoefs, SECTION_COEFS } from "./section";

/** Slope of the subsonic filter in dB/octave: Butterworth order 2, 4 or 8. */
export type HighpassSlope = "12" | "24" | "48";

/** Parameters of the `highpass` module (packages/chain moduleSpecs: freqHz 5…150 Hz, slope). */
export interface HighpassParams {
  freqHz: number;
  slope: HighpassSlope;
}

const MAX_SECTIONS = 4;
/** Chain mask of the cascade: every channel. */
const ALL_CHANNELS = -1;
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

/**
 * DC / subsonic high-pass: cascaded Butterworth sections, Float64 state, in place, latency 0.
 * Live edits: the frequency glides over GLIDE_SECONDS, linearly in log, one step per tick of
 * GLIDE_TICK_FRAMES frames with the coefficients interpolated in between; a new slope is a new
 * cascade, crossfaded from the old one over GLIDE_SECONDS (`GlidingCascade`).
 */
export class HighpassProcessor implements ChainProcessor<HighpassParams> {
  readonly latencyFrames = 0;
  private params: HighpassParams;
  private sampleRate = 0;
  private channels = 0;
  private cascade = new GlidingCascade(MAX_SECTIONS, 1);
  /** The slope the cascade is designed for. */
  private slope: HighpassSlope;
  /** ln freqHz as it glides. */
  private readonly freq = new ParamRamp(0);
  private readonly clock = new GlideClock(this.tick.bind(this), this.run.bind(this));
  private scratch = new Float64Array(0);

  constructor(params: HighpassParams = { freqHz: 20, slope: "24" }) {
    this.check(params);
    this.params = { ...params };
    this.slope = params.slope;
    this.freq.setTarget(Math.log(params.freqHz), true);
  }

  setParams(params: HighpassParams): void {
    this.check(params);
    this.params.freqHz = params.freqHz;
    this.params.slope = params.slope;
    const now = this.sampleRate === 0;
    this.freq.setTarget(Math.log(params.freqHz), now);
    this.clock.active = !now;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.cascade = new GlidingCascade(MAX_SECTIONS, spec.channels);
    this.cascade.prepare(spec.sampleRate);
    this.freq.setRampFrames(glideTicks(spec.sampleRate));
    this.scratch = new Float64Array(Math.min(spec.maxBlockFrames, CHUNK));
    this.settle();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "HighpassProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    this.clock.process(block, frames, this.scratch.length);
  }

  reset(): void {
    this.settle();
  }

  /** Frames [off, off + n) of the block, each channel through the scratch buffer. */
  private run(block: readonly SampleBuffer[], off: number, n: number): void {
    const buf = this.scratch;
    const cascade = this.cascade;
    cascade.beginRun(n);
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      for (let i = 0; i < n; i++) buf[i] = x[off + i]!;
      cascade.run(ch, buf, n);
      for (let i = 0; i < n; i++) x[off + i] = buf[i]!;
    }
    cascade.endRun(n);
  }

  /** The target parameters at once, zero state. */
  private settle(): void {
    this.freq.snap();
    this.slope = this.params.slope;
    this.cascade.set(QS[this.slope].length, ALL_CHANNELS);
    this.design(this.cascade.coefs);
    this.clock.reset();
  }

  private tick(): void {
    const cascade = this.cascade;
    cascade.tick();
    const moved = this.freq.moving;
    if (moved) this.freq.next();
    const newSlope = this.params.slope !== this.slope;
    if (newSlope && !cascade.switching) {
      this.slope = this.params.slope;
      cascade.beginSwitch(QS[this.slope].length, ALL_CHANNELS, false);
      this.design(cascade.coefs);
    } else if (moved) {
      this.design(cascade.next);
      cascade.glide();
    }
    this.clock.active = this.params.slope !== this.slope || cascade.busy || this.freq.moving;
  }

  /** The sections of the current slope at the current (gliding, or exact settled) frequency. */
  private design(out: Float64Array): void {
    const qs = QS[this.slope];
    const freqHz = this.freq.moving ? Math.exp(this.freq.current) : this.params.freqHz;
    const f0 = Math.min(freqHz, MAX_BILINEAR_RATIO * this.sampleRate);
    for (let k = 0; k < qs.length; k++)
      designButterworth(out, k * SECTION_COEFS, "highpass", this.sampleRate, f0, qs[k]);
  }

  private check(params: HighpassParams): void {
    assertInRange(params.freqHz, 0.01, 100_000, "freqHz");
    if (!Object.hasOwn(QS, params.slope)) {
      throw new DspError("INVALID_ARGUMENT", `slope must be "12", "24" or "48", got ${JSON.stringify(params.slope)}`);
    }
  }
}
