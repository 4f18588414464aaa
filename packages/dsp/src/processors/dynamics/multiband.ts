import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { MultibandSplitter } from "../filters/linkwitzRiley";
import { GlideClock } from "../glideClock";
import { GLIDE_SECONDS, GLIDE_TICK_FRAMES, glideTicks, ParamRamp } from "../paramRamp";
import { DecoupledPeakDetector } from "./envelope";
import { DB_PER_NEPER, dbToAmp, GainCurve, NEPER_PER_DB } from "./gainComputer";

/** Parameters of the "multiband" module (keys and ranges of packages/chain moduleSpecs.ts, bandSpecs.ts). */
export interface MultibandParams {
  bands: "3" | "4";
  crossover1Hz: number;
  crossover2Hz: number;
  /** Used with 4 bands only. */
  crossover3Hz: number;
  b1ThresholdDb: number;
  b1Ratio: number;
  b1AttackMs: number;
  b1ReleaseMs: number;
  b1GainDb: number;
  b2ThresholdDb: number;
  b2Ratio: number;
  b2AttackMs: number;
  b2ReleaseMs: number;
  b2GainDb: number;
  b3ThresholdDb: number;
  b3Ratio: number;
  b3AttackMs: number;
  b3ReleaseMs: number;
  b3GainDb: number;
  /** Band 4 is used with 4 bands only. */
  b4ThresholdDb: number;
  b4Ratio: number;
  b4AttackMs: number;
  b4ReleaseMs: number;
  b4GainDb: number;
}

export const MULTIBAND_DEFAULTS: Readonly<MultibandParams> = {
  bands: "4",
  crossover1Hz: 120,
  crossover2Hz: 1000,
  crossover3Hz: 6000,
  b1ThresholdDb: -20,
  b1Ratio: 1.5,
  b1AttackMs: 30,
  b1ReleaseMs: 250,
  b1GainDb: 0,
  b2ThresholdDb: -20,
  b2Ratio: 1.5,
  b2AttackMs: 15,
  b2ReleaseMs: 150,
  b2GainDb: 0,
  b3ThresholdDb: -20,
  b3Ratio: 1.5,
  b3AttackMs: 8,
  b3ReleaseMs: 100,
  b3GainDb: 0,
  b4ThresholdDb: -20,
  b4Ratio: 1.5,
  b4AttackMs: 4,
  b4ReleaseMs: 60,
  b4GainDb: 0,
};

/** Soft knee of every band's curve (dB); the chain document has no knee parameter per band. */
export const MULTIBAND_KNEE_DB = 6;
const MAX_BANDS = 4;

/** Parameter names per band (constants, so validation builds no strings). */
const BAND_KEYS = [1, 2, 3, 4].map((b) =>
  ["ThresholdDb", "Ratio", "AttackMs", "ReleaseMs", "GainDb"].map((k) => `b${b}${k}`),
) as readonly (readonly string[])[];

function assertBand(
  b: number,
  thresholdDb: number,
  ratio: number,
  attackMs: number,
  releaseMs: number,
  gainDb: number,
) {
  const k = BAND_KEYS[b - 1]!;
  assertInRange(thresholdDb, -60, 0, k[0]!);
  assertInRange(ratio, 1, 20, k[1]!);
  assertInRange(attackMs, 0.1, 200, k[2]!);
  assertInRange(releaseMs, 5, 2000, k[3]!);
  assertInRange(gainDb, -12, 12, k[4]!);
}

export function assertMultibandParams(p: MultibandParams): void {
  if (p.bands !== "3" && p.bands !== "4") {
    throw new DspError("INVALID_ARGUMENT", `bands must be "3" or "4", got ${JSON.stringify(p.bands)}`);
  }
  assertInRange(p.crossover1Hz, 40, 1000, "crossover1Hz");
  assertInRange(p.crossover2Hz, 200, 8000, "crossover2Hz");
  assertInRange(p.crossover3Hz, 1000, 16_000, "crossover3Hz");
  assertBand(1, p.b1ThresholdDb, p.b1Ratio, p.b1AttackMs, p.b1ReleaseMs, p.b1GainDb);
  assertBand(2, p.b2ThresholdDb, p.b2Ratio, p.b2AttackMs, p.b2ReleaseMs, p.b2GainDb);
  assertBand(3, p.b3ThresholdDb, p.b3Ratio, p.b3AttackMs, p.b3ReleaseMs, p.b3GainDb);
  assertBand(4, p.b4ThresholdDb, p.b4Ratio, p.b4AttackMs, p.b4ReleaseMs, p.b4GainDb);
}

/**
 * One configuration of the band split: the splitter, a detector per band, and the band signals and
 * gains of the current run. The processor holds two, so that a change of the band count can run
 * the old and the new configuration side by side while it crossfades.
 */
interface BandSplit {
  readonly splitter: MultibandSplitter;
  bandCount: number;
  readonly detectors: DecoupledPeakDetector[];
  /** bufs[ch][b]: the band signals of the current run. */
  readonly bufs: Float64Array[][];
  /** Per band: x_L, then y_L, then the gain, of the current run. */
  readonly gains: Float64Array[];
  /** Per channel: the summed output of the current run (while crossfading). */
  readonly out: Float64Array[];
  readonly reduction: Float64Array;
}

function bandSplit(channels: number, frames: number): BandSplit {
  return {
    splitter: new MultibandSplitter(MAX_BANDS, channels),
    bandCount: MAX_BANDS,
    detectors: [0, 1, 2, 3].map(() => new DecoupledPeakDetector(1)),
    bufs: Array.from({ length: channels }, () => Array.from({ length: MAX_BANDS }, () => new Float64Array(frames))),
    gains: Array.from({ length: MAX_BANDS }, () => new Float64Array(frames)),
    out: Array.from({ length: channels }, () => new Float64Array(frames)),
    reduction: new Float64Array(MAX_BANDS),
  };
}

/**
 * Three- or four-band compressor. The Linkwitz–Riley splitter of ../filters/linkwitzRiley.ts
 * (LR4 crossovers with allpass compensation: the bands sum to an allpass, flat in magnitude) feeds
 * one compressor per band: x_G = 20·log10 of the band's peak over the channels (stereo linked),
 * Eq. (4) of Giannoulis et al. with a MULTIBAND_KNEE_DB knee, the decoupled peak detector of
 * Eq. (17), gain 10^((G_b − y_L)/20); the output is the sum of the bands. With ratio 1 and 0 dB
 * gains the output is the splitter's allpass sum exactly. No latency.
 *
 * Crossovers are sorted ascending (band 1 is always the lowest).
 *
 * Live edits: band gains glide over GLIDE_SECONDS, linearly in dB, per sample; crossovers glide in
 * log, one step per tick of GLIDE_TICK_FRAMES frames with the splitter's coefficients interpolated in
 * between; a new band count (a different splitter) starts a second configuration from zero state
 * (detectors from the old ones) and crossfades to it over GLIDE_SECONDS. Threshold, ratio and times
 * act through the detectors, which smooth the gain already.
 */
export class Multiband implements ChainProcessor<MultibandParams> {
  readonly latencyFrames = 0;
  private params: MultibandParams = { ...MULTIBAND_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private maxBlock = 0;
  /** The configuration that plays, and the one a band-count change crossfades to. */
  private split: BandSplit | null = null;
  private spare: BandSplit | null = null;
  private fading = false;
  private readonly fade = new ParamRamp(0);
  private fadeArr = new Float64Array(0);
  private readonly curves = [new GainCurve(), new GainCurve(), new GainCurve(), new GainCurve()];
  private readonly kneeStartAmp = new Float64Array(MAX_BANDS);
  /** Band gains (dB) as they glide; gainDb, gainLin hold their targets. */
  private readonly gainRamps = [0, 1, 2, 3].map(() => new ParamRamp(0));
  private readonly gainDb = new Float64Array(MAX_BANDS);
  private readonly gainLin = new Float64Array(MAX_BANDS);
  private gainArrs: Float64Array[] = [];
  /** ln of crossover1Hz … crossover3Hz as they glide. */
  private readonly xRamps = [0, 1, 2].map(() => new ParamRamp(0));
  private readonly crossovers3 = [0, 0];
  private readonly crossovers4 = [0, 0, 0];
  private input: Float64Array[] = [];
  private readonly clock = new GlideClock(this.tick.bind(this), this.runCopy.bind(this));

  constructor(params?: MultibandParams) {
    if (params) this.setParams(params);
  }

  /** The current gain reduction in dB (≥ 0), the largest over the bands. */
  get gainReductionDb(): number {
    const sp = this.split;
    let r = 0;
    if (sp) for (let b = 0; b < sp.bandCount; b++) r = Math.max(r, sp.reduction[b]!);
    return r;
  }

  /** The current gain reduction of band `b` (0-based) in dB (≥ 0). */
  bandReductionDb(b: number): number {
    return this.split?.reduction[b] ?? 0;
  }

  setParams(params: MultibandParams): void {
    assertMultibandParams(params);
    Object.assign(this.params, params);
    const now = this.sampleRate === 0;
    this.setBand(0, params.b1ThresholdDb, params.b1Ratio, params.b1AttackMs, params.b1ReleaseMs, params.b1GainDb);
    this.setBand(1, params.b2ThresholdDb, params.b2Ratio, params.b2AttackMs, params.b2ReleaseMs, params.b2GainDb);
    this.setBand(2, params.b3ThresholdDb, params.b3Ratio, params.b3AttackMs, params.b3ReleaseMs, params.b3GainDb);
    this.setBand(3, params.b4ThresholdDb, params.b4Ratio, params.b4AttackMs, params.b4ReleaseMs, params.b4GainDb);
    this.xRamps[0]!.setTarget(Math.log(params.crossover1Hz), now);
    this.xRamps[1]!.setTarget(Math.log(params.crossover2Hz), now);
    this.xRamps[2]!.setTarget(Math.log(params.crossover3Hz), now);
    this.clock.active = !now;
  }

  private setBand(b: number, thresholdDb: number, ratio: number, attackMs: number, releaseMs: number, gainDb: number) {
    this.curves[b]!.set(thresholdDb, ratio, MULTIBAND_KNEE_DB);
    this.kneeStartAmp[b] = dbToAmp(this.curves[b]!.kneeStartDb);
    this.gainDb[b] = gainDb;
    this.gainLin[b] = dbToAmp(gainDb);
    this.gainRamps[b]!.setTarget(gainDb, this.sampleRate === 0);
    if (this.sampleRate > 0) {
      this.split!.detectors[b]!.setTimes(attackMs, releaseMs, this.sampleRate);
      this.spare!.detectors[b]!.setTimes(attackMs, releaseMs, this.sampleRate);
    }
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.maxBlock = spec.maxBlockFrames;
    this.split = bandSplit(spec.channels, spec.maxBlockFrames);
    this.spare = bandSplit(spec.channels, spec.maxBlockFrames);
    this.gainArrs = Array.from({ length: MAX_BANDS }, () => new Float64Array(spec.maxBlockFrames));
    this.input = Array.from({ length: spec.channels }, () => new Float64Array(spec.maxBlockFrames));
    this.fadeArr = new Float64Array(GLIDE_TICK_FRAMES);
    for (const r of this.gainRamps) r.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    const ticks = glideTicks(spec.sampleRate);
    for (const r of this.xRamps) r.setRampFrames(ticks);
    this.fade.setRampFrames(ticks * GLIDE_TICK_FRAMES);
    this.setParams(this.params);
    this.reset();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Multiband.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (!this.clock.active && frames <= this.maxBlock) {
      this.run(block, frames);
      this.clock.time += frames;
      return;
    }
    this.clock.process(block, frames, this.maxBlock);
  }

  /** Frames [off, off + n) of the block (a run between ticks, or a chunk), through a copy. */
  private runCopy(block: readonly SampleBuffer[], off: number, n: number): void {
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      const v = this.input[ch]!;
      for (let i = 0; i < n; i++) v[i] = x[off + i]!;
    }
    this.run(this.input, n);
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      const v = this.input[ch]!;
      for (let i = 0; i < n; i++) x[off + i] = v[i]!;
    }
  }

  /** One run of `frames` frames in place (through a Float64 copy when not at the block's start). */
  private run(block: readonly SampleBuffer[], frames: number): void {
    const sp = this.split!;
    // Bit b: band b's gain glides in this run (its values are in gainArrs[b]).
    let gliding = 0;
    for (let b = 0; b < MAX_BANDS; b++) {
      if (!this.gainRamps[b]!.moving) continue;
      this.gainRamps[b]!.fill(this.gainArrs[b]!, frames);
      gliding |= 1 << b;
    }
    if (!this.fading) {
      this.splitAndGain(sp, block, frames, gliding);
      this.sum(sp, block, frames);
      sp.splitter.endRun(frames);
      return;
    }
    const next = this.spare!;
    this.splitAndGain(sp, block, frames, gliding);
    this.splitAndGain(next, block, frames, gliding);
    this.sum(sp, sp.out, frames);
    this.sum(next, next.out, frames);
    sp.splitter.endRun(frames);
    next.splitter.endRun(frames);
    const w = this.fadeArr;
    this.fade.fill(w, frames);
    for (let ch = 0; ch < this.channels; ch++) {
      const y = block[ch]!;
      const a = sp.out[ch]!;
      const b = next.out[ch]!;
      for (let i = 0; i < frames; i++) y[i] = (1 - w[i]!) * a[i]! + w[i]! * b[i]!;
    }
  }

  /**
   * Split, then per band (a tight loop each, state and constants in locals): level, Eq. (4),
   * Eq. (17), gain.
   */
  private splitAndGain(sp: BandSplit, block: readonly SampleBuffer[], frames: number, gliding: number): void {
    const nch = this.channels;
    const nb = sp.bandCount;
    const bufs = sp.bufs;
    const splitter = sp.splitter;
    for (let ch = 0; ch < nch; ch++) splitter.process(ch, block[ch]!, frames, bufs[ch]!);
    const gains = sp.gains;
    for (let b = 0; b < nb; b++) {
      const g = gains[b]!;
      const curve = this.curves[b]!;
      const kneeStartDb = curve.kneeStartDb;
      const kneeEndDb = curve.kneeEndDb;
      const thresholdDb = curve.thresholdDb;
      const slope = curve.slope;
      const kneeCoef = curve.kneeCoef;
      const kneeStartAmp = this.kneeStartAmp[b]!;
      const b0 = bufs[0]![b]!;
      const b1 = nch > 1 ? bufs[1]![b]! : b0;
      for (let i = 0; i < frames; i++) {
        let level = Math.abs(b0[i]!);
        if (nch === 2) level = Math.max(level, Math.abs(b1[i]!));
        else for (let ch = 1; ch < nch; ch++) level = Math.max(level, Math.abs(bufs[ch]![b]![i]!));
        let xL = 0;
        if (level > kneeStartAmp) {
          // GainCurve.reductionDb, inlined.
          const levelDb = Math.log(level) * DB_PER_NEPER;
          if (levelDb <= kneeStartDb) xL = 0;
          else if (levelDb >= kneeEndDb) xL = slope * (levelDb - thresholdDb);
          else {
            const e = levelDb - kneeStartDb;
            xL = kneeCoef * e * e;
          }
        }
        g[i] = xL;
      }
      const det = sp.detectors[b]!;
      det.run(0, g, frames);
      sp.reduction[b] = det.value(0);
      if (gliding & (1 << b)) {
        // The same arithmetic per sample as below, so a glide that ends inside a run leaves the rest
        // of it exactly as the settled loop would.
        const gdb = this.gainArrs[b]!;
        for (let i = 0; i < frames; i++) {
          const yL = g[i]!;
          g[i] = yL === 0 ? dbToAmp(gdb[i]!) : Math.exp((gdb[i]! - yL) * NEPER_PER_DB);
        }
        continue;
      }
      const gainDb = this.gainDb[b]!;
      const gainLin = this.gainLin[b]!;
      for (let i = 0; i < frames; i++) {
        const yL = g[i]!;
        g[i] = yL === 0 ? gainLin : Math.exp((gainDb - yL) * NEPER_PER_DB);
      }
    }
  }

  /** Σ_b gain_b·band_b of `sp` into `out`. */
  private sum(sp: BandSplit, out: readonly SampleBuffer[], frames: number): void {
    const nb = sp.bandCount;
    const gains = sp.gains;
    const g0 = gains[0]!;
    const g1 = gains[1]!;
    const g2 = gains[2]!;
    const g3 = gains[3]!;
    for (let ch = 0; ch < this.channels; ch++) {
      const bb = sp.bufs[ch]!;
      const y = out[ch]!;
      const x0 = bb[0]!;
      const x1 = bb[1]!;
      const x2 = bb[2]!;
      const x3 = bb[3]!;
      // The sum in band order from 0, as a loop over the bands would do it.
      if (nb === 4)
        for (let i = 0; i < frames; i++)
          y[i] = 0 + g0[i]! * x0[i]! + g1[i]! * x1[i]! + g2[i]! * x2[i]! + g3[i]! * x3[i]!;
      else for (let i = 0; i < frames; i++) y[i] = 0 + g0[i]! * x0[i]! + g1[i]! * x1[i]! + g2[i]! * x2[i]!;
    }
  }

  /** One tick: crossovers step, a finished crossfade ends, a new band count starts one. */
  private tick(): void {
    if (this.fading && !this.fade.moving) {
      const old = this.split!;
      this.split = this.spare;
      this.spare = old;
      this.fading = false;
    }
    const sp = this.split!;
    sp.splitter.land();
    this.spare!.splitter.land();
    const moved = this.xRamps[0]!.moving || this.xRamps[1]!.moving || this.xRamps[2]!.moving;
    if (moved) for (const r of this.xRamps) r.next();
    const bands = this.params.bands === "3" ? 3 : 4;
    if (bands !== sp.bandCount && !this.fading) {
      const next = this.spare!;
      next.bandCount = bands;
      next.splitter.configure(this.sampleRate, this.crossovers(bands));
      next.splitter.reset();
      for (let b = 0; b < MAX_BANDS; b++) {
        const from = sp.detectors[Math.min(b, sp.bandCount - 1)]!;
        next.detectors[b]!.setState(0, from.getState(0, 0), from.getState(0, 1));
      }
      this.fade.snap(0);
      this.fade.setTarget(1);
      this.fading = true;
    } else if (moved) {
      sp.splitter.glideTo(this.sampleRate, this.crossovers(sp.bandCount));
      if (this.fading) this.spare!.splitter.glideTo(this.sampleRate, this.crossovers(this.spare!.bandCount));
    }
    const x = this.xRamps;
    this.clock.active =
      this.fading ||
      bands !== this.split!.bandCount ||
      this.split!.splitter.isGliding ||
      x[0]!.moving ||
      x[1]!.moving ||
      x[2]!.moving;
  }

  /** The crossovers of a `bands`-band split at their current values, sorted ascending. */
  private crossovers(bands: number): number[] {
    const x = this.xRamps;
    const p = this.params;
    const f1 = x[0]!.moving ? Math.exp(x[0]!.current) : p.crossover1Hz;
    const f2 = x[1]!.moving ? Math.exp(x[1]!.current) : p.crossover2Hz;
    const f3 = x[2]!.moving ? Math.exp(x[2]!.current) : p.crossover3Hz;
    if (bands === 3) {
      const c = this.crossovers3;
      c[0] = Math.min(f1, f2);
      c[1] = Math.max(f1, f2);
      return c;
    }
    const c = this.crossovers4;
    c[0] = f1;
    c[1] = f2;
    c[2] = f3;
    // Three-element insertion sort, in place.
    for (let i = 1; i < 3; i++) {
      for (let j = i; j > 0 && c[j - 1]! > c[j]!; j--) {
        const tmp = c[j]!;
        c[j] = c[j - 1]!;
        c[j - 1] = tmp;
      }
    }
    return c;
  }

  reset(): void {
    if (this.split) {
      // Every parameter at its target at once, zero state.
      for (const r of [...this.gainRamps, ...this.xRamps]) r.snap();
      const sp = this.split;
      sp.bandCount = this.params.bands === "3" ? 3 : 4;
      sp.splitter.configure(this.sampleRate, this.crossovers(sp.bandCount));
      for (const s of [sp, this.spare!]) {
        s.splitter.reset();
        for (const d of s.detectors) d.reset();
        s.reduction.fill(0);
      }
      this.fading = false;
      this.fade.snap(0);
      this.clock.reset();
    }
  }
}
