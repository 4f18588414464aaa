import type { Db } from "./client";
import { isUniqueViolation } from "./errors";

/** A measured loudness gain: what `comaster gain` found for an asset and a chain (see `LoudnessGain` in the schema). */
export interface LoudnessGainRow {
  readonly assetId: string;
  readonly chainKey: string;
  /** dB; null when the chain has no active loudness module. */
  readonly gainDb: number | null;
  readonly targetLufs: number | null;
  readonly integratedLufs: number | null;
  readonly passes: number;
}

const columns = {
  assetId: true,
  chainKey: true,
  gainDb: true,
  targetLufs: true,
  integratedLufs: true,
  passes: true,
} as const;

/** The stored measurement of this asset with this chain, or null. */
export function findLoudnessGain(db: Db, assetId: string, chainKey: string): Promise<LoudnessGainRow | null> {
  return db.loudnessGain.findUnique({ where: { assetId_chainKey: { assetId, chainKey } }, select: columns });
}

/**
 * Stores a measurement. The same asset and chain always measure the same (the DSP is deterministic),
 * so when another process stored it first, its row stands and is returned.
 */
export async function saveLoudnessGain(db: Db, row: LoudnessGainRow): Promise<LoudnessGainRow> {
  try {
    return await db.loudnessGain.create({ data: row, select: columns });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const stored = await findLoudnessGain(db, row.assetId, row.chainKey);
    if (!stored) throw e;
    return stored;
  }
}

/** Who measures a chain on a mix, and until when (see `LoudnessGainClaim` in the schema). */
export interface GainClaim {
  readonly assetId: string;
  readonly chainKey: string;
  /** The claiming process (unique per process). */
  readonly owner: string;
}

/**
 * Claims the measurement for `owner` until `now + leaseMs`: true when `owner` holds it now — a new
 * claim, its own again, or one taken over from a process whose claim expired. False while another
 * process's claim is live. One statement each way, so two processes never both win.
 */
export async function claimLoudnessGain(db: Db, claim: GainClaim, now: Date, leaseMs: number): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + leaseMs);
  try {
    await db.loudnessGainClaim.create({ data: { ...claim, expiresAt } });
    return true;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const { count } = await db.loudnessGainClaim.updateMany({
    where: {
      assetId: claim.assetId,
      chainKey: claim.chainKey,
      OR: [{ owner: claim.owner }, { expiresAt: { lt: now } }],
    },
    data: { owner: claim.owner, expiresAt },
  });
  return count === 1;
}

/** Extends `owner`'s claim; false when it is no longer theirs (it expired and was taken over). */
export async function renewLoudnessGainClaim(db: Db, claim: GainClaim, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db.loudnessGainClaim.updateMany({
    where: { ...claim },
    data: { expiresAt: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** Ends `owner`'s claim (a claim another process has taken over stays). */
export async function releaseLoudnessGainClaim(db: Db, claim: GainClaim): Promise<void> {
  await db.loudnessGainClaim.deleteMany({ where: { ...claim } });
}

/** True while some process other than `owner` holds a live claim on this measurement. */
export async function claimedElsewhere(
  db: Db,
  assetId: string,
  chainKey: string,
  owner: string,
  now: Date,
): Promise<boolean> {
  const row = await db.loudnessGainClaim.findUnique({
    where: { assetId_chainKey: { assetId, chainKey } },
    select: { owner: true, expiresAt: true },
  });
  return row !== null && row.owner !== owner && row.expiresAt >= now;
}
