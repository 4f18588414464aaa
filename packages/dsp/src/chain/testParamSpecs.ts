import type { ParamValue } from "./modulePlan";

/*
 * Test support (exported only from @comaster/dsp/testing): the parameter specs of the processor
 * modules, as packages/chain declares them in moduleSpecs.ts and bandSpecs.ts (kind, range, scale,
 * default, options). packages/dsp may not import @comaster/chain (the lint rule on packages/dsp/src
 * keeps the worklet code free of zod and yjs), so this is a copy; test/chain/paramSpecsCopy.test.ts
 * fails when the two disagree.
 */

export type TestParamSpec =
  | {
      readonly kind: "number";
      readonly key: string;
      readonly min: number;
      readonly max: number;
      readonly default: number;
      readonly scale: "linear" | "log";
    }
  | { readonly kind: "enum"; readonly key: string; readonly options: readonly string[]; readonly default: string }
  | { readonly kind: "boolean"; readonly key: string; readonly default: boolean };

const num = (
  key: string,
  min: number,
  max: number,
  def: number,
  scale: "linear" | "log" = "linear",
): TestParamSpec => ({
  kind: "number",
  key,
  min,
  max,
  default: def,
  scale,
});
const choice = (key: string, options: readonly string[], def: string): TestParamSpec => ({
  kind: "enum",
  key,
  options,
  default: def,
});
const flag = (key: string, def: boolean): TestParamSpec => ({ kind: "boolean", key, default: def });
const pct = (key: string, def: number, max = 100) => num(key, 0, max, def);

function eqBand(n: number, type: string, freq: number, q: number): TestParamSpec[] {
  return [
    choice(`b${n}Type`, ["bell", "lowShelf", "highShelf", "highPass", "lowPass"], type),
    num(`b${n}Freq`, 20, 20_000, freq, "log"),
    num(`b${n}Gain`, -18, 18, 0),
    num(`b${n}Q`, 0.1, 10, q, "log"),
    choice(`b${n}Mode`, ["stereo", "mid", "side"], "stereo"),
    flag(`b${n}On`, true),
  ];
}

function dynamicsBand(n: number, attackMs: number, releaseMs: number): TestParamSpec[] {
  return [
    num(`b${n}ThresholdDb`, -60, 0, -20),
    num(`b${n}Ratio`, 1, 20, 1.5, "log"),
    num(`b${n}AttackMs`, 0.1, 200, attackMs, "log"),
    num(`b${n}ReleaseMs`, 5, 2000, releaseMs, "log"),
    num(`b${n}GainDb`, -12, 12, 0),
  ];
}

/** Parameter specs of every module type of the processor registry, keyed by type. */
export const TEST_PARAM_SPECS: Readonly<Record<string, readonly TestParamSpec[]>> = {
  trim: [num("gainDb", -24, 24, 0)],
  highpass: [num("freqHz", 5, 150, 20, "log"), choice("slope", ["12", "24", "48"], "24")],
  eq: [
    ...eqBand(1, "lowShelf", 60, 0.7),
    ...eqBand(2, "bell", 150, 1),
    ...eqBand(3, "bell", 500, 1),
    ...eqBand(4, "bell", 2000, 1),
    ...eqBand(5, "bell", 6000, 1),
    ...eqBand(6, "highShelf", 12_000, 0.7),
  ],
  compressor: [
    num("thresholdDb", -60, 0, -18),
    num("ratio", 1, 20, 2, "log"),
    num("kneeDb", 0, 24, 6),
    num("attackMs", 0.1, 200, 30, "log"),
    num("releaseMs", 5, 2000, 200, "log"),
    num("makeupDb", 0, 24, 0),
    num("sidechainHpfHz", 20, 500, 80, "log"),
    pct("stereoLinkPct", 100),
    pct("mixPct", 100),
  ],
  multiband: [
    choice("bands", ["3", "4"], "4"),
    num("crossover1Hz", 40, 1000, 120, "log"),
    num("crossover2Hz", 200, 8000, 1000, "log"),
    num("crossover3Hz", 1000, 16_000, 6000, "log"),
    ...dynamicsBand(1, 30, 250),
    ...dynamicsBand(2, 15, 150),
    ...dynamicsBand(3, 8, 100),
    ...dynamicsBand(4, 4, 60),
  ],
  saturation: [
    num("driveDb", 0, 24, 3),
    choice("character", ["tape", "tube", "soft"], "tape"),
    pct("mixPct", 100),
    num("outputDb", -24, 12, 0),
    choice("oversample", ["2", "4", "8"], "4"),
  ],
  imager: [
    pct("widthPct", 100, 200),
    pct("lowWidthPct", 100, 200),
    pct("midWidthPct", 100, 200),
    pct("highWidthPct", 100, 200),
    num("lowCrossoverHz", 40, 800, 200, "log"),
    num("highCrossoverHz", 1000, 16_000, 5000, "log"),
    num("monoBelowHz", 0, 300, 0),
  ],
  deesser: [
    num("freqHz", 2000, 12_000, 6500, "log"),
    num("thresholdDb", -60, 0, -30),
    num("rangeDb", 0, 24, 6),
    choice("mode", ["split", "wide"], "split"),
  ],
  reverb: [
    pct("mixPct", 5, 30),
    num("decayS", 0.2, 4, 1.2, "log"),
    num("preDelayMs", 0, 100, 10),
    num("dampingHz", 1000, 20_000, 8000, "log"),
    pct("widthPct", 100),
    num("lowCutHz", 20, 1000, 200, "log"),
  ],
  limiter: [
    num("ceilingDbtp", -12, 0, -1),
    num("releaseMs", 1, 1000, 100, "log"),
    num("lookaheadMs", 0.5, 10, 5),
    flag("truePeak", true),
    pct("stereoLinkPct", 100),
  ],
};

/** Every parameter at its default. */
export function testDefaults(type: string): Record<string, ParamValue> {
  return Object.fromEntries((TEST_PARAM_SPECS[type] ?? []).map((s) => [s.key, s.default]));
}
