/*
 * Gated loudness from block energies, the pure half of the loudness meter.
 * A block energy z is the channel-weighted mean square of the K-weighted signal, Σ G_i·z_i.
 */

/** ITU-R BS.1770-4 eq. 2: L = −0.691 + 10·log10(Σ G_i·z_i). −Infinity for silence. */
export function energyToLoudness(z: number): number {
  return -0.691 + 10 * Math.log10(z);
}

/** Absolute gate of BS.1770-4 §2.8 and EBU Tech 3342: −70 LKFS. */
export const ABSOLUTE_GATE_LUFS = -70;
/** Relative gate of BS.1770-4 §2.8 (integrated loudness). */
export const INTEGRATED_RELATIVE_GATE_LU = -10;
/** Relative gate of EBU Tech 3342 (loudness range). */
export const RANGE_RELATIVE_GATE_LU = -20;

/** Mean energy of the blocks louder than `gate` LUFS (strictly), or 0 if none is. */
function meanEnergyAbove(z: Float64Array, count: number, gate: number): number {
  let sum = 0;
  let n = 0;
  for (let j = 0; j < count; j++) {
    if (energyToLoudness(z[j]!) > gate) {
      sum += z[j]!;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * Integrated loudness, ITU-R BS.1770-4 §2.8 eq. 5–7: the energy mean of the 400 ms gating blocks
 * (75 % overlap) that pass the absolute gate (−70 LKFS) and the relative gate (10 LU below the
 * loudness of the blocks that passed the absolute gate). `null` if no block passes. Pure.
 */
export function integratedLoudness(blockEnergies: Float64Array, count = blockEnergies.length): number | null {
  const absMean = meanEnergyAbove(blockEnergies, count, ABSOLUTE_GATE_LUFS);
  if (absMean === 0) return null;
  const relativeGate = energyToLoudness(absMean) + INTEGRATED_RELATIVE_GATE_LU;
  const gated = meanEnergyAbove(blockEnergies, count, Math.max(relativeGate, ABSOLUTE_GATE_LUFS));
  return gated === 0 ? null : energyToLoudness(gated);
}

/**
 * Loudness range, EBU Tech 3342: of the short-term (3 s) loudness values, keep those above −70 LUFS
 * and above (energy mean of those) − 20 LU; LRA is the 95th minus the 10th percentile of what is
 * left. Percentiles take the nearest rank round((n − 1)·p) of the sorted values, as libebur128 does.
 * `scratch` must hold `count` values (it is overwritten). `null` if nothing passes the gates. Pure.
 */
export function loudnessRange(
  shortTermEnergies: Float64Array,
  count = shortTermEnergies.length,
  scratch = new Float64Array(count),
): number | null {
  const absMean = meanEnergyAbove(shortTermEnergies, count, ABSOLUTE_GATE_LUFS);
  if (absMean === 0) return null;
  const gate = Math.max(energyToLoudness(absMean) + RANGE_RELATIVE_GATE_LU, ABSOLUTE_GATE_LUFS);
  let n = 0;
  for (let j = 0; j < count; j++) {
    const l = energyToLoudness(shortTermEnergies[j]!);
    if (l > gate) scratch[n++] = l;
  }
  if (n === 0) return null;
  const kept = scratch.subarray(0, n).sort();
  const low = kept[Math.round((n - 1) * 0.1)]!;
  const high = kept[Math.round((n - 1) * 0.95)]!;
  return high - low;
}
