import { biquadMagnitude } from "../../biquad";
import type { EqCurveBand } from "./eq";
import { eqSectionCoefs, isIdentityBand } from "./eqSection";

/**
 * The EQ's magnitude response in dB at each of `frequencies` (Hz, below sampleRate / 2), on the mid
 * and on the side signal (stereo bands act on both, mid and side bands on theirs): the product of the
 * very sections `EqProcessor` runs at `sampleRate`, so the curve on the desk is what the render does.
 * Bands that are off, and 0 dB bells and shelves, add nothing. Pure.
 */
export function eqResponseDb(
  bands: readonly EqCurveBand[],
  sampleRate: number,
  frequencies: readonly number[],
): { mid: Float64Array; side: Float64Array } {
  const mid = new Float64Array(frequencies.length);
  const side = new Float64Array(frequencies.length);
  for (const band of bands) {
    if (!band.on || isIdentityBand(band.type, band.gainDb)) continue;
    const c = eqSectionCoefs(band.type, sampleRate, band.freq, band.gainDb, band.q);
    for (let i = 0; i < frequencies.length; i++) {
      const db = 20 * Math.log10(biquadMagnitude(c, frequencies[i]!, sampleRate));
      if (band.mode !== "side") mid[i]! += db;
      if (band.mode !== "mid") side[i]! += db;
    }
  }
  return { mid, side };
}
