/**
 * What the spectrum view draws from the monitor's readings: each band rises at once and falls at a
 * steady rate (so the eye can follow a mix instead of 20 jumps a second), and a peak line per band
 * holds its highest level for a moment, then falls — the ballistics of an analyser such as Ozone's or
 * SPAN's. Time is audio time: one reading is `METER_INTERVAL_SECONDS` of programme, so a paused
 * preview freezes the view. Pure; the component keeps one instance per monitor.
 */
import { METER_INTERVAL_SECONDS } from "./previewMeters";

export interface SpectrumBallisticsOptions {
  /** Lowest level shown (dB); silence and anything below sit here. Default −78. */
  readonly floorDb?: number;
  /** How fast a band's level falls (dB per second of audio). Default 24. */
  readonly fallDbPerS?: number;
  /** How long a peak line stays at its level before it falls (s). Default 1.5. */
  readonly peakHoldS?: number;
  /** How fast a peak line falls once its hold is over (dB/s). Default 12. */
  readonly peakFallDbPerS?: number;
}

export class SpectrumBallistics {
  readonly floorDb: number;
  readonly #fall: number;
  readonly #hold: number;
  readonly #peakFall: number;
  #level: number[] = [];
  #peak: number[] = [];
  /** Seconds since each peak line was last pushed up. */
  #held: number[] = [];

  constructor(o: SpectrumBallisticsOptions = {}) {
    this.floorDb = o.floorDb ?? -78;
    this.#fall = o.fallDbPerS ?? 24;
    this.#hold = o.peakHoldS ?? 1.5;
    this.#peakFall = o.peakFallDbPerS ?? 12;
  }

  /** The level each band shows (dB, ≥ floorDb). */
  get levels(): readonly number[] {
    return this.#level;
  }

  /** Each band's peak line (dB, ≥ its level). */
  get peaks(): readonly number[] {
    return this.#peak;
  }

  /**
   * Takes one reading (`spectrumDb`, −Infinity where silent) that covers `seconds` of audio. A reading
   * with another number of bands starts the view afresh.
   */
  push(spectrumDb: readonly number[], seconds: number = METER_INTERVAL_SECONDS): void {
    if (spectrumDb.length !== this.#level.length) this.reset(spectrumDb.length);
    for (let i = 0; i < spectrumDb.length; i++) {
      const raw = spectrumDb[i]!;
      const v = Number.isFinite(raw) ? Math.max(this.floorDb, raw) : this.floorDb;
      const level = Math.max(v, this.#level[i]! - this.#fall * seconds);
      this.#level[i] = level;
      if (level >= this.#peak[i]!) {
        this.#peak[i] = level;
        this.#held[i] = 0;
      } else {
        const held = this.#held[i]! + seconds;
        this.#held[i] = held;
        // Only the part of this reading past the hold falls.
        const falling = Math.min(seconds, held - this.#hold);
        if (falling > 0) this.#peak[i] = Math.max(level, this.#peak[i]! - this.#peakFall * falling);
      }
    }
  }

  /** Everything at the floor (a new programme, a seek). */
  reset(bands: number = this.#level.length): void {
    this.#level = Array(bands).fill(this.floorDb);
    this.#peak = Array(bands).fill(this.floorDb);
    this.#held = Array(bands).fill(0);
  }
}
