/**
 * Every module type of the mastering chain, with its parameter specs. This record is the single
 * source of truth: the zod schema, defaults, UI controls and messages are derived from it.
 */
import { dynamicsBandSpecs, eqBandSpecs } from "./bandSpecs.ts";
import { ChainError } from "./errors.ts";
import { booleanParam, enumParam, numberParam, type ParamSpec, type ParamsOf } from "./paramSpec.ts";

/** A module type's description for the UI and its parameters, in display order. */
export interface ModuleSpec<T extends string = string, P extends readonly ParamSpec[] = readonly ParamSpec[]> {
  readonly type: T;
  readonly label: string;
  readonly description: string;
  readonly params: P;
}

function defineModule<const T extends string, const P extends readonly ParamSpec[]>(
  type: T,
  label: string,
  description: string,
  params: P,
): ModuleSpec<T, P> {
  return { type, label, description, params };
}

/** A percentage parameter, 0…`max` %. */
const pct = <const K extends string>(key: K, label: string, def: number, max = 100) =>
  numberParam(key, label, "%", { min: 0, max, default: def, step: 1 });

/** All module types, in the order a mastering chain usually runs them (also the UI's order). */
export const MODULE_SPECS = {
  trim: defineModule("trim", "Trim", "Static gain at the input, to set the level the processors see.", [
    numberParam("gainDb", "Gain", "dB", { min: -24, max: 24, default: 0, step: 0.1 }),
  ]),
  highpass: defineModule(
    "highpass",
    "Subsonic filter",
    "High-pass filter that removes DC offset and subsonic rumble.",
    [
      numberParam("freqHz", "Frequency", "Hz", { min: 5, max: 150, default: 20, scale: "log" }),
      enumParam("slope", "Slope (dB/oct)", ["12", "24", "48"], "24"),
    ],
  ),
  eq: defineModule("eq", "Equalizer", "Six-band parametric EQ; each band can act on stereo, mid or side.", [
    ...eqBandSpecs(1, { type: "lowShelf", freq: 60, q: 0.7 }),
    ...eqBandSpecs(2, { type: "bell", freq: 150, q: 1 }),
    ...eqBandSpecs(3, { type: "bell", freq: 500, q: 1 }),
    ...eqBandSpecs(4, { type: "bell", freq: 2000, q: 1 }),
    ...eqBandSpecs(5, { type: "bell", freq: 6000, q: 1 }),
    ...eqBandSpecs(6, { type: "highShelf", freq: 12_000, q: 0.7 }),
  ]),
  compressor: defineModule("compressor", "Compressor", "Broadband glue compressor with side-chain high-pass.", [
    numberParam("thresholdDb", "Threshold", "dB", { min: -60, max: 0, default: -18, step: 0.1 }),
    numberParam("ratio", "Ratio", "ratio", { min: 1, max: 20, default: 2, scale: "log", step: 0.1 }),
    numberParam("kneeDb", "Knee", "dB", { min: 0, max: 24, default: 6, step: 0.1 }),
    numberParam("attackMs", "Attack", "ms", { min: 0.1, max: 200, default: 30, scale: "log" }),
    numberParam("releaseMs", "Release", "ms", { min: 5, max: 2000, default: 200, scale: "log" }),
    numberParam("makeupDb", "Make-up gain", "dB", { min: 0, max: 24, default: 0, step: 0.1 }),
    numberParam("sidechainHpfHz", "Side-chain high-pass", "Hz", { min: 20, max: 500, default: 80, scale: "log" }),
    pct("stereoLinkPct", "Stereo link", 100),
    pct("mixPct", "Mix", 100),
  ]),
  multiband: defineModule(
    "multiband",
    "Multiband compressor",
    "Three- or four-band compressor with Linkwitz–Riley crossovers.",
    [
      enumParam("bands", "Bands", ["3", "4"], "4"),
      numberParam("crossover1Hz", "Crossover 1", "Hz", { min: 40, max: 1000, default: 120, scale: "log" }),
      numberParam("crossover2Hz", "Crossover 2", "Hz", { min: 200, max: 8000, default: 1000, scale: "log" }),
      numberParam("crossover3Hz", "Crossover 3", "Hz", { min: 1000, max: 16_000, default: 6000, scale: "log" }),
      ...dynamicsBandSpecs(1, { attackMs: 30, releaseMs: 250 }),
      ...dynamicsBandSpecs(2, { attackMs: 15, releaseMs: 150 }),
      ...dynamicsBandSpecs(3, { attackMs: 8, releaseMs: 100 }),
      ...dynamicsBandSpecs(4, { attackMs: 4, releaseMs: 60 }),
    ],
  ),
  saturation: defineModule("saturation", "Saturation", "Harmonic saturation (tape, tube or soft clip), oversampled.", [
    numberParam("driveDb", "Drive", "dB", { min: 0, max: 24, default: 3, step: 0.1 }),
    enumParam("character", "Character", ["tape", "tube", "soft"], "tape", {
      tape: "Tape",
      tube: "Tube",
      soft: "Soft clip",
    }),
    pct("mixPct", "Mix", 100),
    numberParam("outputDb", "Output", "dB", { min: -24, max: 12, default: 0, step: 0.1 }),
    enumParam("oversample", "Oversampling", ["2", "4", "8"], "4", { 2: "2\u00d7", 4: "4\u00d7", 8: "8\u00d7" }),
  ]),
  imager: defineModule("imager", "Stereo imager", "Three-band mid/side width, with mono below a frequency.", [
    pct("widthPct", "Width", 100, 200),
    pct("lowWidthPct", "Low width", 100, 200),
    pct("midWidthPct", "Mid width", 100, 200),
    pct("highWidthPct", "High width", 100, 200),
    numberParam("lowCrossoverHz", "Low/mid crossover", "Hz", { min: 40, max: 800, default: 200, scale: "log" }),
    numberParam("highCrossoverHz", "Mid/high crossover", "Hz", { min: 1000, max: 16_000, default: 5000, scale: "log" }),
    numberParam("monoBelowHz", "Mono below (0 = off)", "Hz", { min: 0, max: 300, default: 0, step: 1 }),
  ]),
  deesser: defineModule(
    "deesser",
    "De-esser",
    "Reduces sibilance above a frequency (split band) or across the signal (wide).",
    [
      numberParam("freqHz", "Frequency", "Hz", { min: 2000, max: 12_000, default: 6500, scale: "log" }),
      numberParam("thresholdDb", "Threshold", "dB", { min: -60, max: 0, default: -30, step: 0.1 }),
      numberParam("rangeDb", "Range", "dB", { min: 0, max: 24, default: 6, step: 0.1 }),
      enumParam("mode", "Mode", ["split", "wide"], "split", { split: "Split band", wide: "Wide" }),
    ],
  ),
  reverb: defineModule("reverb", "Reverb", "Subtle mastering reverb to glue or add space; keep the mix small.", [
    pct("mixPct", "Mix", 5, 30),
    numberParam("decayS", "Decay", "s", { min: 0.2, max: 4, default: 1.2, scale: "log", step: 0.01 }),
    numberParam("preDelayMs", "Pre-delay", "ms", { min: 0, max: 100, default: 10, step: 0.1 }),
    numberParam("dampingHz", "Damping", "Hz", { min: 1000, max: 20_000, default: 8000, scale: "log" }),
    pct("widthPct", "Width", 100),
    numberParam("lowCutHz", "Low cut", "Hz", { min: 20, max: 1000, default: 200, scale: "log" }),
  ]),
  loudness: defineModule(
    "loudness",
    "Loudness target",
    "Gain that brings integrated loudness (BS.1770 / EBU R128) to a target.",
    [numberParam("targetLufs", "Target", "LUFS", { min: -30, max: -5, default: -14, step: 0.1 })],
  ),
  limiter: defineModule(
    "limiter",
    "Limiter",
    "Look-ahead brickwall limiter with true-peak (BS.1770 Annex 2) detection.",
    [
      numberParam("ceilingDbtp", "Ceiling", "dBTP", { min: -12, max: 0, default: -1, step: 0.1 }),
      numberParam("releaseMs", "Release", "ms", { min: 1, max: 1000, default: 100, scale: "log" }),
      numberParam("lookaheadMs", "Look-ahead", "ms", { min: 0.5, max: 10, default: 5, step: 0.1 }),
      booleanParam("truePeak", "True peak", true),
      pct("stereoLinkPct", "Stereo link", 100),
    ],
  ),
  fade: defineModule("fade", "Fades", "Fade-in at the start and fade-out at the end of the programme.", [
    numberParam("inS", "Fade in", "s", { min: 0, max: 30, default: 0, step: 0.1 }),
    numberParam("outS", "Fade out", "s", { min: 0, max: 30, default: 0, step: 0.1 }),
    enumParam("curve", "Curve", ["linear", "exponential", "logarithmic", "sCurve"], "sCurve", {
      linear: "Linear",
      exponential: "Exponential",
      logarithmic: "Logarithmic",
      sCurve: "S-curve",
    }),
  ]),
  output: defineModule("output", "Output format", "Sample rate, bit depth and dither of the exported file.", [
    enumParam("sampleRate", "Sample rate", ["keep", "44100", "48000", "88200", "96000"], "keep", {
      keep: "As the mix",
      44100: "44.1 kHz",
      48000: "48 kHz",
      88200: "88.2 kHz",
      96000: "96 kHz",
    }),
    enumParam("bitDepth", "Bit depth", ["16", "24", "32f"], "24", {
      16: "16-bit",
      24: "24-bit",
      "32f": "32-bit float",
    }),
    enumParam("dither", "Dither", ["none", "tpdf", "tpdfShaped"], "tpdf", {
      none: "None",
      tpdf: "TPDF",
      tpdfShaped: "TPDF, noise-shaped",
    }),
  ]),
} as const;

/** A module type: `"trim" | "highpass" | … | "fade"`. */
export type ModuleType = keyof typeof MODULE_SPECS;

/** All module types in chain order. */
export const MODULE_TYPES = Object.keys(MODULE_SPECS) as readonly ModuleType[];

/** The params object of a module type, e.g. `ModuleParams<"limiter">["ceilingDbtp"]` is `number`. */
export type ModuleParams<T extends ModuleType> = ParamsOf<(typeof MODULE_SPECS)[T]["params"]>;

/** A parameter key of a module type, e.g. `ParamKey<"limiter">` includes `"ceilingDbtp"`. */
export type ParamKey<T extends ModuleType> = keyof ModuleParams<T> & string;

export function isModuleType(value: unknown): value is ModuleType {
  return typeof value === "string" && Object.hasOwn(MODULE_SPECS, value);
}

/** The spec of a module type; throws `UNKNOWN_MODULE` for a type that does not exist. */
export function moduleSpec<T extends ModuleType>(type: T): (typeof MODULE_SPECS)[T] {
  if (!isModuleType(type)) {
    throw ChainError.of(
      "UNKNOWN_MODULE",
      `unknown module type ${JSON.stringify(type)}; known: ${MODULE_TYPES.join(", ")}`,
    );
  }
  return MODULE_SPECS[type];
}

/** The spec of one parameter, or `undefined` when the module type or key does not exist. */
export function findParamSpec(type: string, key: string): ParamSpec | undefined {
  if (!isModuleType(type)) return undefined;
  const specs: readonly ParamSpec[] = MODULE_SPECS[type].params;
  return specs.find((s) => s.key === key);
}

/** The spec of one parameter; throws `UNKNOWN_MODULE` / `UNKNOWN_PARAM` when it does not exist. */
export function paramSpec<T extends ModuleType>(type: T, key: ParamKey<T>): ParamSpec {
  const spec = findParamSpec(moduleSpec(type).type, key);
  if (!spec) {
    throw ChainError.of("UNKNOWN_PARAM", `module type ${type} has no parameter ${JSON.stringify(key)}`);
  }
  return spec;
}

/** A fresh params object of a module type with every parameter at its default. */
export function defaultParams<T extends ModuleType>(type: T): ModuleParams<T> {
  const specs: readonly ParamSpec[] = moduleSpec(type).params;
  return Object.fromEntries(specs.map((s) => [s.key, s.default])) as ModuleParams<T>;
}
