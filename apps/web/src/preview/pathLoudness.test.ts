import { type Chain, presetChain, soundSignature } from "@comaster/chain";
import { describe, expect, it } from "vitest";
import { type MeasuredLoudness, pathLoudness } from "./pathLoudness";

const chain = presetChain("streaming", { targetLufs: -14 });
const withTarget = (c: Chain, targetLufs: number): Chain => ({
  ...c,
  modules: c.modules.map((m) => (m.type === "loudness" ? { ...m, params: { ...m.params, targetLufs } } : m)),
});
const withLoudnessBypassed = (c: Chain): Chain => ({
  ...c,
  modules: c.modules.map((m) => (m.type === "loudness" ? { ...m, bypass: true } : m)),
});
const measuredFor = (c: Chain, gainDb: number | null, integratedLufs: number | null): MeasuredLoudness => ({
  sound: soundSignature(c),
  gainDb,
  targetLufs: gainDb === null ? null : -14,
  integratedLufs,
});

describe("pathLoudness", () => {
  it("without a measurement: target − the mix's loudness, for the chain and the matched bypass", () => {
    expect(pathLoudness(chain, -20, null)).toEqual({ gainDb: 6, bypassGainDb: 6, source: "estimated" });
    expect(pathLoudness(chain, null, null)).toEqual({ gainDb: 0, bypassGainDb: 0, source: "estimated" });
    expect(pathLoudness(withLoudnessBypassed(chain), -20, null)).toEqual({
      gainDb: 0,
      bypassGainDb: 0,
      source: "estimated",
    });
  });

  it("the measurement of this very chain is used as it is: the export's gain, the export's loudness", () => {
    // The modules before the loudness stage took 3 dB off: the export applies 9 dB, not 6.
    const m = measuredFor(chain, 9, -14.05);
    expect(pathLoudness(chain, -20, m)).toEqual({ gainDb: 9, bypassGainDb: -14.05 - -20, source: "measured" });
    // A chain without an active loudness module: no gain, and the bypass matches what the chain plays at.
    const off = withLoudnessBypassed(chain);
    expect(pathLoudness(off, -20, measuredFor(off, null, -17.5))).toEqual({
      gainDb: 0,
      bypassGainDb: 2.5,
      source: "measured",
    });
  });

  it("after an edit, the last measurement moved by the change of target is the estimate", () => {
    const m = measuredFor(chain, 9, -14.05);
    const louder = withTarget(chain, -10);
    expect(pathLoudness(louder, -20, m)).toEqual({ gainDb: 13, bypassGainDb: 10, source: "estimated" });
    // Loudness bypassed since: no gain; the dry path has no target to match, so it stays at 0 dB.
    expect(pathLoudness(withLoudnessBypassed(chain), -20, m)).toMatchObject({ gainDb: 0, bypassGainDb: 0 });
    // A measurement without a loudness stage tells nothing of a chain that has one: the mix's analysis does.
    const none = measuredFor(withLoudnessBypassed(chain), null, -17.5);
    expect(pathLoudness(chain, -20, none)).toEqual({ gainDb: 6, bypassGainDb: 6, source: "estimated" });
  });
});
