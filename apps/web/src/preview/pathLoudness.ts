// The loudness figures of one preview path (chain A, the live chain, or B, a saved version): the gain
// its loudness module applies and the gain of the loudness-matched bypass. The export measures the
// programme after the modules before its loudness module and corrects after the limiter
// (`master()`); the server runs exactly that (`comaster gain`, `preview.loudnessGain`) and the
// preview plays with its figure — exact while the chain is the one measured (same `soundSignature`),
// an estimate from the last measurement or from the mix's analysis while a new one is on its way.
import { type Chain, loudnessTargetOf, soundSignature } from "@comaster/chain";
import { matchedBypassGainDb } from "./monitor/loudnessMatch";

/** The server's measurement of a chain on this mix (`preview.loudnessGain` when ready). */
export interface MeasuredLoudness {
  /** `soundSignature` of the chain measured. */
  readonly sound: string;
  /** The loudness module's gain in the export, dB; null without an active loudness module. */
  readonly gainDb: number | null;
  readonly targetLufs: number | null;
  /** The export's integrated loudness, LUFS (null if silent). */
  readonly integratedLufs: number | null;
}

export interface PathLoudness {
  /** The loudness module's gain to apply, dB. */
  readonly gainDb: number;
  /** The dry path's gain in loudness-matched bypass (the mix at the master's loudness), dB. */
  readonly bypassGainDb: number;
  /** "measured": the export's own figure for exactly this chain; "estimated" otherwise. */
  readonly source: "measured" | "estimated";
}

export function pathLoudness(chain: Chain, mixLufs: number | null, measured: MeasuredLoudness | null): PathLoudness {
  const target = loudnessTargetOf(chain);
  if (measured !== null && measured.sound === soundSignature(chain)) {
    return {
      gainDb: measured.gainDb ?? 0,
      bypassGainDb: matchedBypassGainDb(mixLufs, measured.integratedLufs ?? target),
      source: "measured",
    };
  }
  let gainDb = 0;
  if (target !== null) {
    // The last measurement moved by the change of target is closer than the mix's analysis: the
    // modules before the loudness stage usually changed little since.
    gainDb =
      measured?.gainDb != null && measured.targetLufs !== null
        ? measured.gainDb + (target - measured.targetLufs)
        : matchedBypassGainDb(mixLufs, target);
  }
  const masterLufs = target ?? (measured?.gainDb === null ? measured.integratedLufs : null);
  return { gainDb, bypassGainDb: matchedBypassGainDb(mixLufs, masterLufs), source: "estimated" };
}
