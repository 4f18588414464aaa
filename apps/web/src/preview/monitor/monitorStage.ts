// "Listen as": what the master would sound like on a phone, earbuds, a car, in mono, or after a
// streaming platform's loudness normalisation. A MONITORING stage: it runs after the chain, in the
// "comaster-monitor" worklet (monitorWorklet.ts), on what goes to the speakers only. Nothing here is
// part of the chain document (packages/chain), and nothing that renders an export imports it
// (listenAsIsolation.test.ts checks both).
import { type EqParams, EqProcessor } from "@comaster/dsp";

export const LISTEN_AS_MODES = ["off", "phone", "earbuds", "car", "mono", "platform"] as const;
export type ListenAsMode = (typeof LISTEN_AS_MODES)[number];

/**
 * Playback loudness each platform normalises to (integrated, LUFS, ITU-R BS.1770), default settings:
 * Spotify −14 ("we adjust all tracks to a default loudness level of −14 dB LUFS", Spotify for
 * Artists support); YouTube −14; Apple Music −16 (Sound Check); Tidal −14; Amazon Music −14 (Amazon
 * publishes no figure; −14 is the consensus of the mastering references, older measurements −13).
 */
export const PLATFORM_TARGET_LUFS = {
  spotify: -14,
  youtube: -14,
  apple: -16,
  tidal: -14,
  amazon: -14,
} as const satisfies Record<string, number>;
export type StreamingPlatform = keyof typeof PLATFORM_TARGET_LUFS;
export const STREAMING_PLATFORMS = Object.keys(PLATFORM_TARGET_LUFS) as readonly StreamingPlatform[];

/**
 * The platform's gain for a programme of integrated loudness `programmeLufs`: down to the target,
 * never up (min(0, target − L)). Spotify does turn quiet masters up (as far as −1 dBTP allows) and
 * Apple's Sound Check may too; the preview shows the conservative case, the turn-down every platform
 * applies. Unknown loudness (null, silence) → 0 dB.
 */
export function platformGainDb(programmeLufs: number | null, targetLufs: number): number {
  if (programmeLufs === null || !Number.isFinite(programmeLufs)) return 0;
  return Math.min(0, targetLufs - programmeLufs);
}

/** Butterworth 4th order as two 2nd-order sections (Q of each pole pair). */
const BUTTERWORTH4_Q = [0.541196, 1.306563] as const;

type Band = [type: EqParams["b1Type"], freq: number, gainDb: number, q: number];

/** EqProcessor parameters from up to six bands (the rest off). */
function eqParams(bands: readonly Band[]): EqParams {
  const p: Record<string, unknown> = {};
  for (let k = 0; k < 6; k++) {
    const [type, freq, gain, q] = bands[k] ?? (["bell", 1000, 0, 1] as Band);
    const n = k + 1;
    p[`b${n}Type`] = type;
    p[`b${n}Freq`] = freq;
    p[`b${n}Gain`] = gain;
    p[`b${n}Q`] = q;
    p[`b${n}Mode`] = "stereo";
    p[`b${n}On`] = k < bands.length;
  }
  return p as unknown as EqParams;
}

/**
 * Phone speaker: nothing below ~300 Hz (4th-order high-pass: −38 dB at 100 Hz), nothing above ~7 kHz
 * (4th-order low-pass), a presence bump where small speakers peak.
 */
const PHONE_EQ: readonly Band[] = [
  ["highPass", 300, 0, BUTTERWORTH4_Q[0]],
  ["highPass", 300, 0, BUTTERWORTH4_Q[1]],
  ["bell", 2500, 4, 1.2],
  ["lowPass", 7000, 0, BUTTERWORTH4_Q[0]],
  ["lowPass", 7000, 0, BUTTERWORTH4_Q[1]],
];
/** Earbuds: a sealed-canal bass lift, a little ear-gain presence, softer air. */
const EARBUDS_EQ: readonly Band[] = [
  ["lowShelf", 105, 4, 0.7],
  ["bell", 3000, 2, 1],
  ["highShelf", 10_000, -3, 0.7],
];
/** Car: cabin gain below 100 Hz, the boomy 200–400 Hz dip of door speakers, dull top. */
const CAR_EQ: readonly Band[] = [
  ["lowShelf", 100, 4, 0.7],
  ["bell", 280, -3, 1],
  ["highShelf", 8000, -2.5, 0.7],
];
/** Earbuds' side level (70 %): less separation than the master's full-width image. */
const EARBUDS_WIDTH = 0.7;
/** The phone amplifier's soft clip: y = tanh(x) (unity gain at low level, saturating at ±1). */
const softClip = Math.tanh;

/**
 * The listen-as stage. `process` works in place on a stereo block and never allocates; the setters
 * run between blocks (the worklet's message handler). "off" leaves the samples untouched, bit for bit.
 */
export class MonitorStage {
  private currentMode: ListenAsMode = "off";
  private readonly phone = new EqProcessor(eqParams(PHONE_EQ));
  private readonly earbuds = new EqProcessor(eqParams(EARBUDS_EQ));
  private readonly car = new EqProcessor(eqParams(CAR_EQ));
  private readonly mono: Float32Array[] = [new Float32Array(0)];
  private readonly stereo: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  private targetLufs: number = PLATFORM_TARGET_LUFS.spotify;
  private programmeLufs: number | null = null;
  /** Linear platform gain now, and where it is going (a change ramps over one block: no click). */
  private gain = 1;
  private gainTarget = 1;

  constructor(
    readonly sampleRate: number,
    readonly maxBlockFrames = 128,
  ) {
    this.phone.prepare({ sampleRate, channels: 1, maxBlockFrames });
    this.earbuds.prepare({ sampleRate, channels: 2, maxBlockFrames });
    this.car.prepare({ sampleRate, channels: 2, maxBlockFrames });
  }

  get mode(): ListenAsMode {
    return this.currentMode;
  }

  setMode(mode: ListenAsMode): void {
    if (!LISTEN_AS_MODES.includes(mode)) throw new Error(`unknown listen-as mode ${JSON.stringify(mode)}`);
    if (mode === this.currentMode) return;
    // The new simulation starts from rest; the platform gain jumps (the switch is a jump anyway).
    this.phone.reset();
    this.earbuds.reset();
    this.car.reset();
    this.gain = this.gainTarget;
    this.currentMode = mode;
  }

  /** The platform whose target "platform" mode uses. */
  setPlatform(platform: StreamingPlatform): void {
    const target = PLATFORM_TARGET_LUFS[platform];
    if (target === undefined) throw new Error(`unknown platform ${JSON.stringify(platform)}`);
    this.setPlatformTarget(target);
  }

  /** A target of one's own (LUFS), for a platform not in the list. */
  setPlatformTarget(lufs: number): void {
    if (!Number.isFinite(lufs)) throw new Error(`platform target must be finite, got ${lufs}`);
    this.targetLufs = lufs;
    this.updateGain();
  }

  /** The programme's integrated loudness (LUFS; the master's, from the analysis), or null if unknown. */
  setProgrammeLoudness(lufs: number | null): void {
    this.programmeLufs = lufs;
    this.updateGain();
  }

  /** The gain "platform" mode applies, dB (≤ 0). */
  get platformGainDb(): number {
    return platformGainDb(this.programmeLufs, this.targetLufs);
  }

  private updateGain(): void {
    this.gainTarget = 10 ** (this.platformGainDb / 20);
    if (this.currentMode !== "platform") this.gain = this.gainTarget;
  }

  process(left: Float32Array, right: Float32Array, frames: number): void {
    switch (this.currentMode) {
      case "off":
        return;
      case "mono":
        for (let i = 0; i < frames; i++) left[i] = right[i] = (left[i]! + right[i]!) * 0.5;
        return;
      case "phone": {
        for (let i = 0; i < frames; i++) left[i] = (left[i]! + right[i]!) * 0.5;
        this.mono[0] = left;
        this.phone.process(this.mono, frames);
        for (let i = 0; i < frames; i++) left[i] = right[i] = softClip(left[i]!);
        return;
      }
      case "earbuds":
        this.runEq(this.earbuds, left, right, frames);
        for (let i = 0; i < frames; i++) {
          const m = (left[i]! + right[i]!) * 0.5;
          const s = (left[i]! - right[i]!) * 0.5 * EARBUDS_WIDTH;
          left[i] = m + s;
          right[i] = m - s;
        }
        return;
      case "car":
        this.runEq(this.car, left, right, frames);
        return;
      case "platform":
        this.applyGain(left, right, frames);
        return;
    }
  }

  private runEq(eq: EqProcessor, left: Float32Array, right: Float32Array, frames: number): void {
    this.stereo[0] = left;
    this.stereo[1] = right;
    eq.process(this.stereo, frames);
  }

  private applyGain(left: Float32Array, right: Float32Array, frames: number): void {
    const from = this.gain;
    const to = this.gainTarget;
    if (from === to) {
      for (let i = 0; i < frames; i++) {
        left[i]! *= to;
        right[i]! *= to;
      }
      return;
    }
    const step = (to - from) / Math.max(1, frames);
    for (let i = 0; i < frames; i++) {
      const g = from + step * (i + 1);
      left[i]! *= g;
      right[i]! *= g;
    }
    this.gain = to;
  }

  reset(): void {
    this.phone.reset();
    this.earbuds.reset();
    this.car.reset();
    this.gain = this.gainTarget;
  }
}
