import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GlideClock } from "../glideClock";
import { GLIDE_SECONDS, GLIDE_TICK_FRAMES, glideTicks, ParamRamp } from "../paramRamp";
import { designButterworth, MAX_BILINEAR_RATIO } from "./butterworth";
import { GlidingCascade } from "./glidingCascade";
import { designLinkwitzRileyAllpass, MultibandSplitter } from "./linkwitzRiley";
import { SECTION_COEFS } from "./section";

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
 * below off, the processor is bypassed (output = input exactly). Mono input passes unchanged. Latency 0.
 *
 * Live edits: widths glide over GLIDE_SECONDS, per sample; crossovers and the mono frequency glide in
 * log, one step per tick of GLIDE_TICK_FRAMES frames with the coefficients interpolated in between.
 * Switching the per-band path or mono-below on or off (a change of phase: the filtered path is an
 * allpass, the bypass is not) crossfades between the two over GLIDE_SECONDS; a feature that switches
 * on starts its filters from zero state.
 */
export class ImagerProcessor implements ChainProcessor<ImagerParams> {
  readonly latencyFrames = 0;
  private readonly params: ImagerParams;
  private sampleRate = 0;
  private channels = 0;
  private readonly splitter = new MultibandSplitter(3, 1);
  private readonly crossovers = [200, 5000];
  /** AP(f1)·AP(f2) on M: two sections while the per-band path is on, none while it is off. */
  private readonly bandsMid = new GlidingCascade(2, 1);
  /** LR4 high-pass on S and its allpass on M: sections while mono-below is on, none while off. */
  private readonly monoSide = new GlidingCascade(2, 1);
  private readonly monoMid = new GlidingCascade(1, 1);
  /** Share of the per-band side path in S (0…1), crossfaded with bandsMid. */
  private readonly bandsMix = new ParamRamp(0);
  /** Widths (ratios) as they glide: overall, low, mid, high. */
  private readonly widths = WIDTH_KEYS.map(() => new ParamRamp(1));
  /** ln of lowCrossoverHz, highCrossoverHz, monoBelowHz as they glide. */
  private readonly lowFreq = new ParamRamp(0);
  private readonly highFreq = new ParamRamp(0);
  private readonly monoFreq = new ParamRamp(0);
  private readonly clock = new GlideClock(this.tick.bind(this), this.run.bind(this));
  private mid = new Float64Array(0);
  private side = new Float64Array(0);
  private bands: Float64Array[] = [];
  private widthArrs: Float64Array[] = [];
  private mixArr = new Float64Array(0);

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
    const now = this.sampleRate === 0;
    for (let k = 0; k < WIDTH_KEYS.length; k++) this.widths[k]!.setTarget(p[WIDTH_KEYS[k]!] / 100, now);
    this.lowFreq.setTarget(Math.log(p.lowCrossoverHz), now);
    this.highFreq.setTarget(Math.log(p.highCrossoverHz), now);
    if (p.monoBelowHz > 0) this.monoFreq.setTarget(Math.log(p.monoBelowHz), now || this.monoSide.sections === 0);
    this.clock.active = !now;
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
    this.widthArrs = WIDTH_KEYS.map(() => new Float64Array(n));
    this.mixArr = new Float64Array(n);
    for (const r of this.widths) r.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    const ticks = glideTicks(spec.sampleRate);
    for (const r of [this.lowFreq, this.highFreq, this.monoFreq]) r.setRampFrames(ticks);
    this.bandsMix.setRampFrames(ticks * GLIDE_TICK_FRAMES);
    for (const c of [this.bandsMid, this.monoSide, this.monoMid]) c.prepare(spec.sampleRate);
    this.settle();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "ImagerProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (this.channels === 1) return;
    this.clock.process(block, frames, this.mid.length);
  }

  reset(): void {
    this.settle();
  }

  /** Frames [off, off + n) of a stereo block. */
  private run(block: readonly SampleBuffer[], off: number, n: number): void {
    let gliding = false;
    for (const r of this.widths) gliding ||= r.moving;
    const bandsOn = this.bandsMix.current > 0 || this.bandsMix.moving;
    const monoOn = this.monoSide.sections > 0 || this.monoSide.busy;
    this.bandsMid.beginRun(n);
    this.monoSide.beginRun(n);
    this.monoMid.beginRun(n);
    if (gliding) for (let k = 0; k < WIDTH_KEYS.length; k++) this.widths[k]!.fill(this.widthArrs[k]!, n);
    if (gliding || bandsOn || monoOn || this.widths[0]!.current !== 1) {
      const l = block[0]!;
      const r = block[1]!;
      const m = this.mid;
      const s = this.side;
      for (let i = 0; i < n; i++) {
        const a = l[off + i]!;
        const b = r[off + i]!;
        m[i] = (a + b) * 0.5;
        s[i] = (a - b) * 0.5;
      }
      if (bandsOn) this.bandSide(s, n, gliding);
      this.bandsMid.run(0, m, n);
      this.monoSide.run(0, s, n);
      this.monoMid.run(0, m, n);
      if (gliding) {
        const width = this.widthArrs[0]!;
        for (let i = 0; i < n; i++) {
          const a = m[i]!;
          const b = width[i]! * s[i]!;
          l[off + i] = a + b;
          r[off + i] = a - b;
        }
      } else {
        const width = this.widths[0]!.current;
        for (let i = 0; i < n; i++) {
          const a = m[i]!;
          const b = width * s[i]!;
          l[off + i] = a + b;
          r[off + i] = a - b;
        }
      }
    }
    this.splitter.endRun(n);
    this.bandsMid.endRun(n);
    this.monoSide.endRun(n);
    this.monoMid.endRun(n);
  }

  /** S → Σ w_b·band_b(S), crossfaded with S while the per-band path switches on or off. */
  private bandSide(s: Float64Array, n: number, gliding: boolean): void {
    const lo = this.bands[0]!;
    const mi = this.bands[1]!;
    const hi = this.bands[2]!;
    this.splitter.process(0, s, n, this.bands);
    if (gliding || this.bandsMix.moving) {
      const wl = this.widthArrs[1]!;
      const wm = this.widthArrs[2]!;
      const wh = this.widthArrs[3]!;
      if (!gliding) for (let k = 1; k < WIDTH_KEYS.length; k++) this.widthArrs[k]!.fill(this.widths[k]!.current, 0, n);
      const mix = this.mixArr;
      this.bandsMix.fill(mix, n);
      for (let i = 0; i < n; i++) {
        const v = wl[i]! * lo[i]! + wm[i]! * mi[i]! + wh[i]! * hi[i]!;
        const w = mix[i]!;
        s[i] = w === 1 ? v : (1 - w) * s[i]! + w * v;
      }
      return;
    }
    const wl = this.widths[1]!.current;
    const wm = this.widths[2]!.current;
    const wh = this.widths[3]!.current;
    for (let i = 0; i < n; i++) s[i] = wl * lo[i]! + wm * mi[i]! + wh * hi[i]!;
  }

  /** Every parameter at its target at once, zero state (prepare, reset). */
  private settle(): void {
    for (const r of [...this.widths, this.lowFreq, this.highFreq, this.monoFreq]) r.snap();
    const bandsOn = this.bandsWanted();
    const monoOn = this.params.monoBelowHz > 0;
    this.bandsMix.snap(bandsOn ? 1 : 0);
    this.bandsMid.set(bandsOn ? 2 : 0, 1);
    this.monoSide.set(monoOn ? 2 : 0, 1);
    this.monoMid.set(monoOn ? 1 : 0, 1);
    this.designBands(this.bandsMid.coefs, false);
    this.splitter.reset();
    if (monoOn) this.designMono(this.monoSide.coefs, this.monoMid.coefs);
    this.clock.reset();
  }

  /** One tick of the glides and switches. */
  private tick(): void {
    const bm = this.bandsMid;
    const ms = this.monoSide;
    const mm = this.monoMid;
    this.splitter.land();
    bm.tick();
    ms.tick();
    mm.tick();
    const xMoved = this.lowFreq.moving || this.highFreq.moving;
    if (xMoved) {
      this.lowFreq.next();
      this.highFreq.next();
    }
    const bandsOn = this.bandsWanted();
    if (bandsOn !== bm.sections > 0 && !bm.switching) {
      bm.beginSwitch(bandsOn ? 2 : 0, 1, false);
      this.bandsMix.setTarget(bandsOn ? 1 : 0);
      if (bandsOn) {
        this.designBands(bm.coefs, false);
        this.splitter.reset();
      }
    } else if (xMoved && bm.sections > 0) {
      this.designBands(bm.next, true);
      bm.glide();
    }
    const monoMoved = this.monoFreq.moving;
    if (monoMoved) this.monoFreq.next();
    const monoOn = this.params.monoBelowHz > 0;
    if (monoOn !== ms.sections > 0 && !ms.switching) {
      ms.beginSwitch(monoOn ? 2 : 0, 1, false);
      mm.beginSwitch(monoOn ? 1 : 0, 1, false);
      if (monoOn) this.designMono(ms.coefs, mm.coefs);
    } else if (monoMoved && ms.sections > 0) {
      this.designMono(ms.next, mm.next);
      ms.glide();
      mm.glide();
    }
    this.clock.active =
      bandsOn !== bm.sections > 0 ||
      monoOn !== ms.sections > 0 ||
      bm.busy ||
      ms.busy ||
      this.bandsMix.moving ||
      this.lowFreq.moving ||
      this.highFreq.moving ||
      this.monoFreq.moving;
  }

  private bandsWanted(): boolean {
    const p = this.params;
    return p.lowWidthPct !== 100 || p.midWidthPct !== 100 || p.highWidthPct !== 100;
  }

  /** The crossovers at their current values: the splitter (set, or glided to) and AP(f1)·AP(f2). */
  private designBands(out: Float64Array, glide: boolean): void {
    const limit = MAX_BILINEAR_RATIO * this.sampleRate;
    const lf = this.lowFreq.moving ? Math.exp(this.lowFreq.current) : this.params.lowCrossoverHz;
    const hf = this.highFreq.moving ? Math.exp(this.highFreq.current) : this.params.highCrossoverHz;
    this.crossovers[0] = Math.min(lf, limit);
    this.crossovers[1] = Math.min(hf, limit);
    if (glide) this.splitter.glideTo(this.sampleRate, this.crossovers);
    else this.splitter.configure(this.sampleRate, this.crossovers);
    designLinkwitzRileyAllpass(out, 0, this.sampleRate, this.crossovers[0]!);
    designLinkwitzRileyAllpass(out, SECTION_COEFS, this.sampleRate, this.crossovers[1]!);
  }

  /** LR4 high-pass (one Butterworth section, run twice) and its allpass at the current mono frequency. */
  private designMono(side: Float64Array, mid: Float64Array): void {
    const fs = this.sampleRate;
    const hz = this.monoFreq.moving ? Math.exp(this.monoFreq.current) : this.params.monoBelowHz;
    const f = Math.min(hz, MAX_BILINEAR_RATIO * fs);
    designButterworth(side, 0, "highpass", fs, f);
    side.copyWithin(SECTION_COEFS, 0, SECTION_COEFS);
    designLinkwitzRileyAllpass(mid, 0, fs, f);
  }
}
