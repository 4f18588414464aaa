import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { designEqSection, EQ_BAND_TYPES, type EqBandType, isIdentityBand } from "./eqSection";
import { runSection, SECTION_COEFS, SECTION_STATE } from "./section";

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

/** Chain flags per band: which of the mid (or mono) and side chains the band filters. */
const ACTS_ON_MID = 1;
const ACTS_ON_SIDE = 2;
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
 */
export class EqProcessor implements ChainProcessor<EqParams> {
  readonly latencyFrames = 0;
  private sampleRate = 0;
  private channels = 0;
  private readonly types: EqBandType[] = new Array<EqBandType>(EQ_BAND_COUNT).fill("bell");
  private readonly freqs = new Float64Array(EQ_BAND_COUNT);
  private readonly gains = new Float64Array(EQ_BAND_COUNT);
  private readonly qs = new Float64Array(EQ_BAND_COUNT);
  /** Requested chains per band (MODE_CHAINS, 0 when off or identity). */
  private readonly chains = new Uint8Array(EQ_BAND_COUNT);
  /** Chains each band ran with last time coefficients were computed (to zero newly used state). */
  private readonly running = new Uint8Array(EQ_BAND_COUNT);
  private readonly designed = new Uint8Array(EQ_BAND_COUNT);
  private readonly coefs = new Float64Array(EQ_BAND_COUNT * SECTION_COEFS);
  /** Per band: [mid s1, mid s2, side s1, side s2]. */
  private readonly state = new Float64Array(EQ_BAND_COUNT * 2 * SECTION_STATE);
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
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      const type = params[TYPE_KEYS[k]!];
      const freq = params[FREQ_KEYS[k]!];
      const gain = params[GAIN_KEYS[k]!];
      const q = params[Q_KEYS[k]!];
      if (type !== this.types[k] || freq !== this.freqs[k] || gain !== this.gains[k] || q !== this.qs[k]) {
        this.types[k] = type;
        this.freqs[k] = freq;
        this.gains[k] = gain;
        this.qs[k] = q;
        this.designed[k] = 0;
      }
      this.chains[k] = params[ON_KEYS[k]!] && !isIdentityBand(type, gain) ? MODE_CHAINS[params[MODE_KEYS[k]!]] : 0;
    }
    if (this.sampleRate > 0) this.update();
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    if (spec.channels > 2) throw new DspError("INVALID_ARGUMENT", `EQ handles 1 or 2 channels, got ${spec.channels}`);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    const n = Math.min(spec.maxBlockFrames, CHUNK);
    this.mid = new Float64Array(n);
    this.side = new Float64Array(n);
    this.designed.fill(0);
    this.running.fill(0);
    this.update();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "EqProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const mask = this.channels === 1 ? ACTS_ON_MID : ACTS_ON_MID | ACTS_ON_SIDE;
    let any = 0;
    for (let k = 0; k < EQ_BAND_COUNT; k++) any |= this.running[k]! & mask;
    if (any === 0) return;
    const m = this.mid;
    const s = this.side;
    const l = block[0]!;
    if (this.channels === 1) {
      for (let off = 0; off < frames; off += m.length) {
        const n = Math.min(m.length, frames - off);
        for (let i = 0; i < n; i++) m[i] = l[off + i]!;
        this.filter(m, n, ACTS_ON_MID, 0);
        for (let i = 0; i < n; i++) l[off + i] = m[i]!;
      }
      return;
    }
    const r = block[1]!;
    for (let off = 0; off < frames; off += m.length) {
      const n = Math.min(m.length, frames - off);
      for (let i = 0; i < n; i++) {
        const a = l[off + i]!;
        const b = r[off + i]!;
        m[i] = (a + b) * 0.5;
        s[i] = (a - b) * 0.5;
      }
      this.filter(m, n, ACTS_ON_MID, 0);
      this.filter(s, n, ACTS_ON_SIDE, SECTION_STATE);
      for (let i = 0; i < n; i++) {
        const a = m[i]!;
        const b = s[i]!;
        l[off + i] = a + b;
        r[off + i] = a - b;
      }
    }
  }

  reset(): void {
    this.state.fill(0);
  }

  /** Runs every band that acts on `chain` over buf[0…n), in band order. */
  private filter(buf: Float64Array, n: number, chain: number, stateOffset: number): void {
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      if ((this.running[k]! & chain) === 0) continue;
      runSection(buf, n, this.coefs, k * SECTION_COEFS, this.state, k * 2 * SECTION_STATE + stateOffset);
    }
  }

  /** Designs changed bands; a band that starts filtering a chain starts it from zero state. */
  private update(): void {
    for (let k = 0; k < EQ_BAND_COUNT; k++) {
      const want = this.chains[k]!;
      if (want !== 0 && this.designed[k] === 0) {
        const f0 = this.freqs[k]!;
        designEqSection(
          this.coefs,
          k * SECTION_COEFS,
          this.types[k]!,
          this.sampleRate,
          f0,
          this.gains[k]!,
          this.qs[k]!,
        );
        this.designed[k] = 1;
      }
      const started = want & ~this.running[k]!;
      const so = k * 2 * SECTION_STATE;
      if (started & ACTS_ON_MID) this.state.fill(0, so, so + SECTION_STATE);
      if (started & ACTS_ON_SIDE) this.state.fill(0, so + SECTION_STATE, so + 2 * SECTION_STATE);
      this.running[k] = want;
    }
  }
}
