/*
 * Static characteristic of a compressor: input level x_G (dB) → output level y_G (dB), after
 * D. Giannoulis, M. Massberg, J. D. Reiss, "Digital Dynamic Range Compressor Design — A Tutorial and
 * Analysis", J. Audio Eng. Soc. 60(6), 2012, pp. 399–408.
 *
 * Eq. (4), threshold T, ratio R, knee width W (all dB except R):
 *   y_G = x_G                                        if 2(x_G − T) < −W
 *   y_G = x_G + (1/R − 1)·(x_G − T + W/2)² / (2W)     if 2|x_G − T| ≤ W
 *   y_G = T + (x_G − T)/R                            if 2(x_G − T) > W
 * With W = 0 the middle branch is empty and this is the hard knee. The processors work with the
 * gain reduction x_L = x_G − y_G ≥ 0 (the quantity the paper smooths in the log domain), which is
 * what `gainReductionDb` returns.
 */

/**
 * The constants of Eq. (4), precomputed for a per-sample evaluation. Mutable so that parameter
 * changes do not allocate; `set` returns `this`.
 */
export class GainCurve {
  thresholdDb = 0;
  ratio = 1;
  kneeDb = 0;
  /** 1 − 1/R: the slope of the gain reduction above the knee. */
  slope = 0;
  /** T − W/2: at or below this level there is no reduction. */
  kneeStartDb = 0;
  /** T + W/2: at or above this level the reduction is linear in x_G. */
  kneeEndDb = 0;
  /** (1 − 1/R)/(2W), the coefficient of the quadratic knee (0 for a hard knee). */
  kneeCoef = 0;

  constructor(thresholdDb = 0, ratio = 1, kneeDb = 0) {
    this.set(thresholdDb, ratio, kneeDb);
  }

  set(thresholdDb: number, ratio: number, kneeDb: number): this {
    const w = Math.max(0, kneeDb);
    this.thresholdDb = thresholdDb;
    this.ratio = ratio;
    this.kneeDb = w;
    this.slope = 1 - 1 / ratio;
    this.kneeStartDb = thresholdDb - w / 2;
    this.kneeEndDb = thresholdDb + w / 2;
    this.kneeCoef = w > 0 ? this.slope / (2 * w) : 0;
    return this;
  }

  /** Gain reduction x_G − y_G (dB, ≥ 0) of Eq. (4) at input level `levelDb`. */
  reductionDb(levelDb: number): number {
    if (levelDb <= this.kneeStartDb) return 0;
    if (levelDb >= this.kneeEndDb) return this.slope * (levelDb - this.thresholdDb);
    const d = levelDb - this.kneeStartDb;
    return this.kneeCoef * d * d;
  }

  /** Output level y_G (dB) of Eq. (4) at input level `levelDb`. */
  outputDb(levelDb: number): number {
    return levelDb - this.reductionDb(levelDb);
  }
}

/**
 * Eq. (4) written out literally, branch by branch (the reference the tests compare `GainCurve`
 * against). Pure.
 */
export function staticCurveDb(levelDb: number, thresholdDb: number, ratio: number, kneeDb: number): number {
  const over = levelDb - thresholdDb;
  if (2 * over < -kneeDb) return levelDb;
  if (2 * Math.abs(over) <= kneeDb && kneeDb > 0) {
    const d = over + kneeDb / 2;
    return levelDb + ((1 / ratio - 1) * d * d) / (2 * kneeDb);
  }
  return thresholdDb + over / ratio;
}

/** 20/ln 10: dB = DB_PER_NEPER · ln(amplitude). */
export const DB_PER_NEPER = 20 / Math.LN10;
/** ln 10/20: ln(amplitude) = NEPER_PER_DB · dB. */
export const NEPER_PER_DB = Math.LN10 / 20;

/** Amplitude of a level in dB, via Math.exp (cheaper than 10 ** x). */
export function dbToAmp(levelDb: number): number {
  return Math.exp(levelDb * NEPER_PER_DB);
}

/** Level in dB of an amplitude, via Math.log; −Infinity for 0. */
export function ampToDb(amp: number): number {
  return Math.log(amp) * DB_PER_NEPER;
}
