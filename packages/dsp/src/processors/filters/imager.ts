import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { designButterworth, MAX_BILINEAR_RATIO } from "./butterworth";
import { designLinkwitzRileyAllpass, MultibandSplitter } from "./linkwitzRiley";
import { runSection, runSectionTwice, SECTION_COEFS } from "./section";

/** Parameters of the `imager` module (packages/chain moduleSpecs; widths 0…200 %, 100 = unchanged). */
export interface ImagerParams {
  widthPct: number;
  lowWidthPct: number;
  midWidthPct: number;
  highWidthPct: number;
  lowCrossoverHz: number;
  highCrossoverHz: number;
  /** 0 = off. */
  monoBelowHz: number;
}

export const DEFAULT_IMAGER_PARAMS: Readonly<ImagerParams> = {
  widthPct: 100,
  lowWidthPct: 100,
  midWidthPct: 100,
  highWidthPct: 100,
  lowCrossoverHz: 200,
  highCrossoverHz: 5000,
  monoBelowHz: 0,
};

const CHUNK = 2048;
const WIDTH_KEYS = ["widthPct", "lowWidthPct", "midWidthPct", "highWidthPct"] as const;

/**
 * Stereo width on mid/side; only the SIDE signal is changed, so mono content keeps its magnitude.
 *
 *   M = (L+R)/2,  S = (L−R)/2
 *   per-band width (any band ≠ 100 %): S → Σ w_b·band_b(S), bands from a 3-band Linkwitz–Riley
 *     splitter at lowCrossoverHz / highCrossoverHz (Σ bands = AP(f1)·AP(f2)·S); M → AP(f1)·AP(f2)·M
 *   mono below f (monoBelowHz > 0): S → LR4 high-pass at f (its phase is exactly that of the LR4
 *     allpass, LP4 and HP4 being in phase); M → LR4 allpass at f
 *   overall width: S → (widthPct/100)·S
 *   L = M + S,  R = M − S
 * Passing M through the same allpasses as S keeps the two in phase, so with every width at 100 % the
 * filtered path is a pure allpass on L and R alike (no image shift). With all widths at 100 % and mono
 * below off, the processor is bypassed (output = input exactly); switching between bypass and the
 * filtered path is therefore a change of phase, audible as a click only on a live preview. Mono input
 * passes unchanged. A feature that switches on starts its filters from zero state. Latency 0.
 */
export class ImagerProcessor implements ChainProcessor<ImagerParams> {
  readonly latencyFrames = 0;
  private readonly params: ImagerParams;
  private sampleRate = 0;
  private channels = 0;
  private bandsOn = false;
  private monoOn = false;
  private readonly splitter = new MultibandSplitter(3, 1);
  private readonly crossovers = [200, 5000];
  /** [AP(f1), AP(f2), HP(mono), AP(mono)] sections. */
  private readonly coefs = new Float64Array(4 * SECTION_COEFS);
  /** Mid AP(f1), mid AP(f2), side HP (2 sections), mid AP(mono): 2 values per section. */
  private readonly state = new Float64Array(10);
  private mid = new Float64Array(0);
  private side = new Float64Array(0);
  private bands: Float64Array[] = [];

  constructor(params: ImagerParams = DEFAULT_IMAGER_PARAMS) {
    this.params = { ...DEFAULT_IMAGER_PARAMS };
    this.setParams(params);
  }

  setParams(params: ImagerParams): void {
    for (let k = 0; k < WIDTH_KEYS.length; k++) assertInRange(params[WIDTH_KEYS[k]!], 0, 1000, WIDTH_KEYS[k]!);
    assertInRange(params.lowCrossoverHz, 1, 1_000_000, "lowCrossoverHz");
    assertInRange(params.highCrossoverHz, 1, 1_000_000, "highCrossoverHz");
    assertInRange(params.monoBelowHz, 0, 1_000_000, "monoBelowHz");
    const p = this.params;
    p.widthPct = params.widthPct;
    p.lowWidthPct = params.lowWidthPct;
    p.midWidthPct = params.midWidthPct;
    p.highWidthPct = params.highWidthPct;
    p.lowCrossoverHz = params.lowCrossoverHz;
    p.highCrossoverHz = params.highCrossoverHz;
    p.monoBelowHz = params.monoBelowHz;
    if (this.sampleRate > 0) this.update();
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    if (spec.channels > 2)
      throw new DspError("INVALID_ARGUMENT", `imager handles 1 or 2 channels, got ${spec.channels}`);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    const n = Math.min(spec.maxBlockFrames, CHUNK);
    this.mid = new Float64Array(n);
    this.side = new Float64Array(n);
    this.bands = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    this.bandsOn = false;
    this.monoOn = false;
    this.update();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "ImagerProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const p = this.params;
    if (this.channels === 1 || (p.widthPct === 100 && !this.bandsOn && !this.monoOn)) return;
    const l = block[0]!;
    const r = block[1]!;
    const m = this.mid;
    const s = this.side;
    const width = p.widthPct / 100;
    const wl = p.lowWidthPct / 100;
    const wm = p.midWidthPct / 100;
    const wh = p.highWidthPct / 100;
    const c = this.coefs;
    const st = this.state;
    for (let off = 0; off < frames; off += m.length) {
      const n = Math.min(m.length, frames - off);
      for (let i = 0; i < n; i++) {
        const a = l[off + i]!;
        const b = r[off + i]!;
        m[i] = (a + b) * 0.5;
        s[i] = (a - b) * 0.5;
      }
      if (this.bandsOn) {
        const lo = this.bands[0]!;
        const mi = this.bands[1]!;
        const hi = this.bands[2]!;
        this.splitter.process(0, s, n, this.bands);
        for (let i = 0; i < n; i++) s[i] = wl * lo[i]! + wm * mi[i]! + wh * hi[i]!;
        runSection(m, n, c, 0, st, 0);
        runSection(m, n, c, SECTION_COEFS, st, 2);
      }
      if (this.monoOn) {
        runSectionTwice(s, s, n, c, 2 * SECTION_COEFS, st, 4);
        runSection(m, n, c, 3 * SECTION_COEFS, st, 8);
      }
      for (let i = 0; i < n; i++) {
        const a = m[i]!;
        const b = width * s[i]!;
        l[off + i] = a + b;
        r[off + i] = a - b;
      }
    }
  }

  reset(): void {
    this.splitter.reset();
    this.state.fill(0);
  }

  private update(): void {
    const p = this.params;
    const fs = this.sampleRate;
    const limit = MAX_BILINEAR_RATIO * fs;
    const bandsOn = p.lowWidthPct !== 100 || p.midWidthPct !== 100 || p.highWidthPct !== 100;
    const monoOn = p.monoBelowHz > 0;
    this.crossovers[0] = Math.min(p.lowCrossoverHz, limit);
    this.crossovers[1] = Math.min(p.highCrossoverHz, limit);
    this.splitter.configure(fs, this.crossovers);
    designLinkwitzRileyAllpass(this.coefs, 0, fs, this.crossovers[0]!);
    designLinkwitzRileyAllpass(this.coefs, SECTION_COEFS, fs, this.crossovers[1]!);
    if (bandsOn && !this.bandsOn) {
      this.splitter.reset();
      this.state.fill(0, 0, 4);
    }
    if (monoOn) {
      const f = Math.min(p.monoBelowHz, limit);
      designButterworth(this.coefs, 2 * SECTION_COEFS, "highpass", fs, f);
      designLinkwitzRileyAllpass(this.coefs, 3 * SECTION_COEFS, fs, f);
      if (!this.monoOn) this.state.fill(0, 4, 10);
    }
    this.bandsOn = bandsOn;
    this.monoOn = monoOn;
  }
}
