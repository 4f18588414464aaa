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
