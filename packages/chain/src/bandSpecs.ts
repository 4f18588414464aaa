/**
 * Parameter specs of the multi-band modules. Bands use prefixed flat keys (`b1Freq`, `b2ThresholdDb`)
 * so every parameter stays one key in one flat map, editable and diffable on its own.
 */
import { booleanParam, enumParam, numberParam } from "./paramSpec.ts";

/** Filter shapes of an EQ band. */
export const EQ_BAND_TYPES = ["bell", "lowShelf", "highShelf", "highPass", "lowPass"] as const;
/** Which signal an EQ band acts on: left+right alike, the mid (L+R) or the side (L−R) channel. */
export const EQ_BAND_MODES = ["stereo", "mid", "side"] as const;

/** Defaults of one EQ band; gain is always 0 dB by default, so a fresh EQ is transparent. */
interface EqBandDefaults {
  type: (typeof EQ_BAND_TYPES)[number];
  freq: number;
  q: number;
}

/** The six specs of EQ band `n`: `b{n}Type`, `b{n}Freq`, `b{n}Gain`, `b{n}Q`, `b{n}Mode`, `b{n}On`. */
export function eqBandSpecs<const N extends number>(n: N, d: EqBandDefaults) {
  const band = `Band ${n}`;
  return [
    enumParam(`b${n}Type` as const, `${band} type`, EQ_BAND_TYPES, d.type, {
      bell: "Bell",
      lowShelf: "Low shelf",
      highShelf: "High shelf",
      highPass: "High-pass",
      lowPass: "Low-pass",
    }),
    numberParam(`b${n}Freq` as const, `${band} frequency`, "Hz", {
      min: 20,
      max: 20_000,
      default: d.freq,
      scale: "log",
    }),
    numberParam(`b${n}Gain` as const, `${band} gain`, "dB", { min: -18, max: 18, default: 0, step: 0.1 }),
    numberParam(`b${n}Q` as const, `${band} Q`, "", { min: 0.1, max: 10, default: d.q, scale: "log", step: 0.01 }),
    enumParam(`b${n}Mode` as const, `${band} stereo mode`, EQ_BAND_MODES, "stereo", {
      stereo: "Stereo",
      mid: "Mid",
      side: "Side",
    }),
    booleanParam(`b${n}On` as const, `${band} on`, true),
  ] as const;
}

/** Defaults of one multiband-compressor band: lower bands get slower time constants. */
interface DynamicsBandDefaults {
  attackMs: number;
  releaseMs: number;
}

/**
 * The five specs of multiband band `n`: `b{n}ThresholdDb`, `b{n}Ratio`, `b{n}AttackMs`,
 * `b{n}ReleaseMs`, `b{n}GainDb`.
 */
export function dynamicsBandSpecs<const N extends number>(n: N, d: DynamicsBandDefaults) {
  const band = `Band ${n}`;
  return [
    numberParam(`b${n}ThresholdDb` as const, `${band} threshold`, "dB", { min: -60, max: 0, default: -20, step: 0.1 }),
    numberParam(`b${n}Ratio` as const, `${band} ratio`, "ratio", {
      min: 1,
      max: 20,
      default: 1.5,
      scale: "log",
      step: 0.1,
    }),
    numberParam(`b${n}AttackMs` as const, `${band} attack`, "ms", {
      min: 0.1,
      max: 200,
      default: d.attackMs,
      scale: "log",
    }),
    numberParam(`b${n}ReleaseMs` as const, `${band} release`, "ms", {
      min: 5,
      max: 2000,
      default: d.releaseMs,
      scale: "log",
    }),
    numberParam(`b${n}GainDb` as const, `${band} gain`, "dB", { min: -12, max: 12, default: 0, step: 0.1 }),
  ] as const;
}

/** Crossovers closer than half an octave (a frequency ratio of √2) make bands too narrow to behave. */
export const MIN_CROSSOVER_RATIO = Math.SQRT2;
