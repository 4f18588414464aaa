// Loudness-matched bypass: the A/B switch of the preview compares the master with the mix at the
// same loudness, so that "louder" does not pass for "better". The preview engine applies this gain
// to the dry (bypassed) path; both loudnesses are integrated (BS.1770), the mix's from the upload's
// analysis and the master's from the render report or the analysis of the preview.

/**
 * The gain (dB) that brings the mix to the master's loudness: masterLufs − mixLufs. 0 when either
 * is unknown or not finite (silence measures −Infinity or null).
 */
export function matchedBypassGainDb(mixLufs: number | null, masterLufs: number | null): number {
  if (mixLufs === null || masterLufs === null) return 0;
  const gain = masterLufs - mixLufs;
  return Number.isFinite(gain) ? gain : 0;
}
