/**
 * The loudness a chain masters to: the target of its loudness module when that module is on. The
 * render path (a version's job), the preview's loudness gain and the platform monitor all read it here.
 */
import type { Chain } from "./schema.ts";

/** The active loudness module's target (LUFS), or `null` when the chain has none or it is bypassed. */
export function loudnessTargetOf(chain: Chain): number | null {
  const loudness = chain.modules.find((m) => m.type === "loudness" && !m.bypass);
  return loudness?.type === "loudness" ? loudness.params.targetLufs : null;
}

/**
 * What of a chain shapes the sound of its render, as one string: the schema version and each module
 * in order — its type and, when it is on, its parameters (keys sorted); a bypassed module only holds
 * its place. Module ids do not count. Two chains with the same signature render the same samples from
 * the same file, so a loudness gain measured for one (`comaster gain`) is the other's too: the server
 * keys its stored measurements by it, and the preview compares it to know whether a measurement is
 * its chain's.
 */
export function soundSignature(chain: Chain): string {
  return JSON.stringify([
    chain.schemaVersion,
    chain.modules.map((m) => {
      if (m.bypass) return [m.type];
      const params = m.params as Record<string, unknown>;
      return [
        m.type,
        Object.keys(params)
          .sort()
          .map((k) => [k, params[k]]),
      ];
    }),
  ]);
}
