import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GlideClock } from "../glideClock";
import { glideTicks, ParamRamp } from "../paramRamp";
import { designEqSection, EQ_BAND_TYPES, type EqBandType, isIdentityBand } from "./eqSection";
import { GlidingCascade } from "./glidingCascade";

/** Which signal an EQ band acts on (the chain's EQ_BAND_MODES). */
export type EqBandMode = "stereo" | "mid" | "side";

export const EQ_BAND_MODES: readonly EqBandMode[] = ["stereo", "mid", "side"];

/**
 * Parameters of the `eq` module: six bands with the keys of packages/chain bandSpecs `eqBandSpecs`
 * (freq 20…20 000 Hz, gain −18…18 dB, Q 0.1…10).
 */
export interface EqParams {
  b1Type: EqBandType;
  b1Freq: number;
  b1Gain: number;
  b1Q: number;
  b1Mode: EqBandMode;
  b1On: boolean;
  b2Type: EqBandType;
  b2Freq: number;
  b2Gain: number;
  b2Q: number;
  b2Mode: EqBandMode;
  b2On: boolean;
  b3Type: EqBandType;
  b3Freq: number;
  b3Gain: number;
  b3Q: number;
  b3Mode: EqBandMode;
  b3On: boolean;
  b4Type: EqBandType;
  b4Freq: number;
  b4Gain: number;
  b4Q: number;
  b4Mode: EqBandMode;
  b4On: boolean;
  b5Type: EqBandType;
  b5Freq: number;
  b5Gain: number;
  b5Q: number;
  b5Mode: EqBandMode;
  b5On: boolean;
  b6Type: EqBandType;
  b6Freq: number;
  b6Gain: number;
  b6Q: number;
  b6Mode: EqBandMode;
  b6On: boolean;
}

export const EQ_BAND_COUNT = 6;

const TYPE_KEYS = ["b1Type", "b2Type", "b3Type", "b4Type", "b5Type", "b6Type"] as const;
const FREQ_KEYS = ["b1Freq", "b2Freq", "b3Freq", "b4Freq", "b5Freq", "b6Freq"] as const;
const GAIN_KEYS = ["b1Gain", "b2Gain", "b3Gain", "b4Gain", "b5Gain", "b6Gain"] as const;
const Q_KEYS = ["b1Q", "b2Q", "b3Q", "b4Q", "b5Q", "b6Q"] as const;
const MODE_KEYS = ["b1Mode", "b2Mode", "b3Mode", "b4Mode", "b5Mode", "b6Mode"] as const;
const ON_KEYS = ["b1On", "b2On", "b3On", "b4On", "b5On", "b6On"] as const;

/** One EQ band as its response curve needs it (see `eqResponseDb`). */
export interface EqCurveBand {
  readonly type: EqBandType;
  readonly freq: number;
  readonly gainDb: number;
  readonly q: number;
  readonly mode: EqBandMode;
  readonly on: boolean;
}

/** The six bands of an `eq` module's parameters, in order. */
export function eqCurveBands(params: EqParams): EqCurveBand[] {
  return Array.from({ length: EQ_BAND_COUNT }, (_, k) => ({
    type: params[TYPE_KEYS[k]!],
    freq: params[FREQ_KEYS[k]!],
    gainDb: params[GAIN_KEYS[k]!],
    q: params[Q_KEYS[k]!],
    mode: params[MODE_KEYS[k]!],
    on: params[ON_KEYS[k]!],
  }));
}

/** The chain's defaults: a transparent EQ (every gain 0 dB). */
export function defaultEqParams(): EqParams {
  const band = (type: EqBandType, freq: number, q: number) => ({ type, freq, q });
  const d = [
    band("lowShelf", 60, 0.7),
    band("bell", 150, 1),
    band("bell", 500, 1),
    band("bell", 2000, 1),
    band("bell", 6000, 1),
    band("highShelf", 12_000, 0.7),
  ];
  const p: Record<string, unknown> = {};
  d.forEach((b, k) => {
    p[TYPE_KEYS[k]!] = b.type;
    p[FREQ_KEYS[k]!] = b.freq;
    p[GAIN_KEYS[k]!] = 0;
    p[Q_KEYS[k]!] = b.q;
    p[MODE_KEYS[k]!] = "stereo";
    p[ON_KEYS[k]!] = true;
  });
  return p as unknown as EqParams;
}

/** Chain flags per band: which of the mid (or mono) and side chains the band filters (bit = chain index). */
const ACTS_ON_MID = 1;
const ACTS_ON_SIDE = 2;
const MID = 0;
const SIDE = 1;
const MODE_CHAINS: Record<EqBandMode, number> = {
  stereo: ACTS_ON_MID | ACTS_ON_SIDE,
  mid: ACTS_ON_MID,
  side: ACTS_ON_SIDE,
};
/** Frames per pass over the Float64 mid/side buffers. */
const CHUNK = 2048;

/**
 * Six-band parametric EQ with cramping-free matched sections (eqSection.ts), each band on stereo,
 * mid or side. Stereo input is processed as M = (L+R)/2, S = (L−R)/2 and returned as L = M+S,
 * R = M−S (exact for float32 input): stereo bands filter M and S alike (the same as L and R alike, by
 * linearity), mid bands M only, side bands S only. Mono input is the mid: stereo and mid bands act,
 * side bands do nothing. Bands that are off, and 0 dB bells and shelves, are skipped; with no band
 * left the EQ does not touch the audio at all. Float64 state and buffers, latency 0.
 *
 * Live edits (`setParams` after `prepare`) do not click. Frequency and Q glide over GLIDE_SECONDS
 * linearly in log, gain linearly in dB, stepping once per tick of GLIDE_TICK_FRAMES frames counted
 * from this processor's frame counter; each step is a new matched design (a design costs ≈ 15 µs,
 * so per-sample designs would cost too much), and the coefficients move linearly from one design
 * to the next in between (`GlidingCascade`). A change of type, mode or on/off, and a gain reaching
 * or leaving 0 dB (where a band drops out), crossfades the band from its old section to the new one
 * over GLIDE_SECONDS. Before `prepare`, parameters apply at once.
 */
export class EqProcessor implements ChainProcessor<EqParams> {
  readonly latencyFrames = 0;
  private sampleRate = 0;
  private channels = 0;
  /** The parameters as set (the targets of the glides). */
  private readonly types: EqBandType[] = new Array<EqBandType>(EQ_BAND_COUNT).fill("bell");
  private readonly freqs = new Float64Array(EQ_BAND_COUNT);
  private readonly gains = new Float64Array(EQ_BAND_COUNT);
  private readonly qs = new Float64Array(EQ_BAND_COUNT);
  /** MODE_CHAINS of the band's mode, 0 when it is off. */
  private readonly modeChains = new Uint8Array(EQ_BAND_COUNT);
  /** The type the band's section is designed as. */
  private readonly designedTypes: EqBandType[] = new Array<EqBandType>(EQ_BAND_COUNT).fill("bell");
  /** Gliding values: ln f, gain in dB, ln Q. */
  private readonly freqRamps = Array.from({ length: EQ_BAND_COUNT }, () => new ParamRamp(0));
  private readonly gainRamps = Array.from({ length: EQ_BAND_COUNT }, () => new ParamRamp(0));
  private readonly qRamps = Array.from({ length: EQ_BAND_COUNT }, () => new ParamRamp(0));
  /** One section per band, on the mid (chain 0) and side (chain 1) signals. */
  private readonly bands = Array.from({ length: EQ_BAND_COUNT }, () => new GlidingCascade(1, 2));
  /** Active while something glides, crossfades or waits for a tick. */
  private readonly clock = new GlideClock(this.tick.bind(this), this.run.bind(this));
  private mid = new Float64Array(0);
  private side = new Float64Array(0);

  constructor(params: EqParams = defaultEqParams()) {
    this.setParams(params);
  }

  setParams(params: EqParams): void {
    // Validate every band first, so a refused object changes nothing.
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      const type = params[TYPE_KEYS[k]!];
      const mode = params[MODE_KEYS[k]!];
      if (!EQ_BAND_TYPES.includes(type))
        throw new DspError("INVALID_ARGUMENT", `${TYPE_KEYS[k]} unknown: ${JSON.stringify(type)}`);
      if (!EQ_BAND_MODES.includes(mode))
        throw new DspError("INVALID_ARGUMENT", `${MODE_KEYS[k]} unknown: ${JSON.stringify(mode)}`);
      assertInRange(params[FREQ_KEYS[k]!], 1, 1_000_000, FREQ_KEYS[k]!);
      assertInRange(params[GAIN_KEYS[k]!], -60, 60, GAIN_KEYS[k]!);
      assertInRange(params[Q_KEYS[k]!], 0.01, 100, Q_KEYS[k]!);
    }
    const now = this.sampleRate === 0;
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      this.types[k] = params[TYPE_KEYS[k]!];
      this.freqs[k] = params[FREQ_KEYS[k]!];
      this.gains[k] = params[GAIN_KEYS[k]!];
      this.qs[k] = params[Q_KEYS[k]!];
      this.modeChains[k] = params[ON_KEYS[k]!] ? MODE_CHAINS[params[MODE_KEYS[k]!]] : 0;
      this.freqRamps[k]!.setTarget(Math.log(this.freqs[k]!), now);
      this.gainRamps[k]!.setTarget(this.gains[k]!, now);
      this.qRamps[k]!.setTarget(Math.log(this.qs[k]!), now);
    }
    this.clock.active = !now;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    if (spec.channels > 2) throw new DspError("INVALID_ARGUMENT", `EQ handles 1 or 2 channels, got ${spec.channels}`);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    const n = Math.min(spec.maxBlockFrames, CHUNK);
    this.mid = new Float64Array(n);
    this.side = new Float64Array(n);
    const ticks = glideTicks(spec.sampleRate);
    for (const r of [...this.freqRamps, ...this.gainRamps, ...this.qRamps]) r.setRampFrames(ticks);
    for (const b of this.bands) b.prepare(spec.sampleRate);
    this.settle();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "EqProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    this.clock.process(block, frames, this.mid.length);
  }

  reset(): void {
    this.settle();
  }

  /** Frames [off, off + n) of the block, with the bands as they stand. */
  private run(block: readonly SampleBuffer[], off: number, n: number): void {
    const bands = this.bands;
    const mask = this.channels === 1 ? ACTS_ON_MID : ACTS_ON_MID | ACTS_ON_SIDE;
    let any = 0;
    for (const b of bands) {
      b.beginRun(n);
      any |= (b.busy ? ACTS_ON_MID | ACTS_ON_SIDE : b.chainMask) & mask;
    }
    if (any !== 0) {
      const m = this.mid;
      const s = this.side;
      const l = block[0]!;
      if (this.channels === 1) {
        for (let i = 0; i < n; i++) m[i] = l[off + i]!;
        for (const b of bands) b.run(MID, m, n);
        for (let i = 0; i < n; i++) l[off + i] = m[i]!;
      } else {
        const r = block[1]!;
        for (let i = 0; i < n; i++) {
          const a = l[off + i]!;
          const c = r[off + i]!;
          m[i] = (a + c) * 0.5;
          s[i] = (a - c) * 0.5;
        }
        for (const b of bands) b.run(MID, m, n);
        for (const b of bands) b.run(SIDE, s, n);
        for (let i = 0; i < n; i++) {
          const a = m[i]!;
          const c = s[i]!;
          l[off + i] = a + c;
          r[off + i] = a - c;
        }
      }
    }
    for (const b of bands) b.endRun(n);
  }

  /** Every parameter at its target at once, zero state (prepare, reset). */
  private settle(): void {
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      this.freqRamps[k]!.snap();
      this.gainRamps[k]!.snap();
      this.qRamps[k]!.snap();
      const want = this.wantedChains(k);
      const band = this.bands[k]!;
      band.set(want === 0 ? 0 : 1, want);
      this.designedTypes[k] = this.types[k]!;
      if (want !== 0) this.design(k, band.coefs);
    }
    this.clock.reset();
  }

  /** One tick of the glides: every band takes a step and starts what its new values need. */
  private tick(): void {
    let active = false;
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      const band = this.bands[k]!;
      const fr = this.freqRamps[k]!;
      const gr = this.gainRamps[k]!;
      const qr = this.qRamps[k]!;
      band.tick();
      const moved = fr.moving || gr.moving || qr.moving;
      if (moved) {
        fr.next();
        gr.next();
        qr.next();
      }
      const want = this.wantedChains(k);
      if (want === 0 && band.chainMask === 0) this.designedTypes[k] = this.types[k]!;
      const same = want === band.chainMask && (want === 0 || this.designedTypes[k] === this.types[k]);
      if (!(same || band.switching)) {
        band.beginSwitch(want === 0 ? 0 : 1, want, this.designedTypes[k] === this.types[k]);
        this.designedTypes[k] = this.types[k]!;
        if (want !== 0) this.design(k, band.coefs);
      } else if (moved && band.chainMask !== 0) {
        this.design(k, band.next);
        band.glide();
      }
      active ||= !same || band.busy || fr.moving || gr.moving || qr.moving;
    }
    this.clock.active = active;
  }

  /** The chains band k should filter now: none when off, or a bell or shelf at (gliding) 0 dB. */
  private wantedChains(k: number): number {
    return isIdentityBand(this.types[k]!, this.gainRamps[k]!.current) ? 0 : this.modeChains[k]!;
  }

  /** Designs band k at its current (gliding, or exact settled) values into `out`. */
  private design(k: number, out: Float64Array): void {
    const fr = this.freqRamps[k]!;
    const qr = this.qRamps[k]!;
    const f0 = fr.moving ? Math.exp(fr.current) : this.freqs[k]!;
    const q = qr.moving ? Math.exp(qr.current) : this.qs[k]!;
    designEqSection(out, 0, this.types[k]!, this.sampleRate, f0, this.gainRamps[k]!.current, q);
  }
}
