/**
 * Starting points for a master, by delivery target. Every preset is a complete chain in the usual
 * mastering order, with the same module ids in the same places, so switching presets changes
 * parameters and bypass states only (a small diff):
 *
 * highpass → eq → compressor → multiband → saturation → imager → deesser → reverb → loudness →
 * limiter → fade → output
 *
 * Modules a preset does not need are present but bypassed (multiband, saturation, de-esser,
 * reverb and fades unless the preset turns them on), so they are one click away in the UI.
 */
import { ChainError } from "./errors.ts";
import { CURRENT_SCHEMA_VERSION } from "./migrate.ts";
import type { ModuleParams, ModuleType } from "./moduleSpecs.ts";
import { parseChain } from "./parseChain.ts";
import type { Chain, ChainModuleInput } from "./schema.ts";

/** A preset: UI text, the targets it promises, and its modules (as input: defaults fill the rest). */
export interface Preset {
  readonly label: string;
  readonly description: string;
  /** Integrated loudness the loudness module aims at (LUFS). */
  readonly targetLufs: number;
  /** Ceiling of the true-peak limiter (dBTP). */
  readonly ceilingDbtp: number;
  readonly modules: readonly ChainModuleInput[];
}

/** The order (and ids) of the modules in every preset. */
export const PRESET_MODULE_ORDER = [
  "highpass",
  "eq",
  "compressor",
  "multiband",
  "saturation",
  "imager",
  "deesser",
  "reverb",
  "loudness",
  "limiter",
  "fade",
  "output",
] as const satisfies readonly ModuleType[];

const BYPASSED_UNLESS_ENABLED: ReadonlySet<ModuleType> = new Set([
  "multiband",
  "saturation",
  "deesser",
  "reverb",
  "fade",
]);

type Tweaks = { [T in ModuleType]?: Partial<ModuleParams<T>> };

interface Recipe {
  label: string;
  description: string;
  targetLufs: number;
  ceilingDbtp: number;
  /** Modules normally bypassed that this preset turns on. */
  enable?: readonly ModuleType[];
  params?: Tweaks;
}

function preset(r: Recipe): Preset {
  const params: Tweaks = {
    ...r.params,
    loudness: { targetLufs: r.targetLufs },
    limiter: { ...r.params?.limiter, ceilingDbtp: r.ceilingDbtp, truePeak: true },
  };
  const modules = PRESET_MODULE_ORDER.map(
    (type) =>
      ({
        id: type,
        type,
        bypass: BYPASSED_UNLESS_ENABLED.has(type) && !r.enable?.includes(type),
        params: params[type] ?? {},
      }) as ChainModuleInput,
  );
  return { label: r.label, description: r.description, targetLufs: r.targetLufs, ceilingDbtp: r.ceilingDbtp, modules };
}

/** Every preset, by name. */
export const PRESETS = {
  streaming: preset({
    label: "Streaming",
    description:
      "Spotify, YouTube, Tidal and Amazon play at about \u221214 LUFS; \u22121 dBTP leaves headroom for lossy encoding.",
    targetLufs: -14,
    ceilingDbtp: -1,
  }),
  apple: preset({
    label: "Apple Music",
    description: "Apple Music's Sound Check plays at about \u221216 LUFS; Apple Digital Masters asks for \u22121 dBTP.",
    targetLufs: -16,
    ceilingDbtp: -1,
  }),
  broadcast: preset({
    label: "Broadcast (EBU R128)",
    description:
      "EBU R128 for radio and TV: \u221223 LUFS integrated, true peak at most \u22121 dBTP, 48 kHz / 24-bit.",
    targetLufs: -23,
    ceilingDbtp: -1,
    params: {
      compressor: { ratio: 1.5, thresholdDb: -24, kneeDb: 12 },
      output: { sampleRate: "48000", bitDepth: "24" },
    },
  }),
  cd: preset({
    label: "CD",
    description: "A loud master for CD: \u22129.5 LUFS, \u22120.3 dBTP, 44.1 kHz / 16-bit with noise-shaped dither.",
    targetLufs: -9.5,
    ceilingDbtp: -0.3,
    enable: ["saturation"],
    params: {
      compressor: { ratio: 2.5, thresholdDb: -20, attackMs: 20, releaseMs: 150 },
      saturation: { driveDb: 2, mixPct: 50 },
      limiter: { releaseMs: 60 },
      output: { sampleRate: "44100", bitDepth: "16", dither: "tpdfShaped" },
    },
  }),
  podcast: preset({
    label: "Podcast / spoken word",
    description:
      "\u221216 LUFS, \u22121 dBTP; voice-range high-pass, de-essing, firmer compression, and a narrower image that folds to mono cleanly.",
    targetLufs: -16,
    ceilingDbtp: -1,
    enable: ["deesser"],
    params: {
      highpass: { freqHz: 70, slope: "24" },
      compressor: { ratio: 3, thresholdDb: -24, attackMs: 10, releaseMs: 150 },
      imager: { widthPct: 80, lowWidthPct: 100, midWidthPct: 100, highWidthPct: 100, monoBelowHz: 200 },
      deesser: { freqHz: 6500, thresholdDb: -30, rangeDb: 6, mode: "split" },
    },
  }),
  gentle: preset({
    label: "Gentle",
    description: "Light glue compression and a transparent limiter at \u221214 LUFS, \u22121 dBTP: keeps the dynamics.",
    targetLufs: -14,
    ceilingDbtp: -1,
    params: {
      compressor: { ratio: 1.5, thresholdDb: -20, kneeDb: 12, attackMs: 50, releaseMs: 300 },
      limiter: { releaseMs: 200 },
    },
  }),
  loud: preset({
    label: "Loud",
    description: "Dense and loud at \u22129 LUFS, \u22121 dBTP: firmer compression, multiband control and saturation.",
    targetLufs: -9,
    ceilingDbtp: -1,
    enable: ["multiband", "saturation"],
    params: {
      compressor: { ratio: 3, thresholdDb: -20, attackMs: 10, releaseMs: 100, kneeDb: 6 },
      multiband: { b1Ratio: 2, b2Ratio: 2, b3Ratio: 2, b4Ratio: 2, b1ThresholdDb: -24, b2ThresholdDb: -22 },
      saturation: { driveDb: 6, mixPct: 60, character: "tape" },
      limiter: { releaseMs: 50 },
    },
  }),
} satisfies Record<string, Preset>;

/** A preset name: `"streaming" | "apple" | "broadcast" | "cd" | "podcast" | "gentle" | "loud"`. */
export type PresetName = keyof typeof PRESETS;

/** All preset names, in the order the UI lists them. */
export const PRESET_NAMES = Object.keys(PRESETS) as readonly PresetName[];

/** Overrides for `presetChain`. */
export interface PresetOptions {
  /** Replace the preset's loudness target (LUFS, −30…−5). */
  targetLufs?: number;
  /** Replace the preset's limiter ceiling (dBTP, −12…0). */
  ceilingDbtp?: number;
}

/**
 * A new, parsed chain from a preset (every parameter filled). Throws `UNKNOWN_PRESET` for a name
 * that does not exist, or `PARAM_OUT_OF_RANGE` for an override outside its range.
 */
export function presetChain(name: PresetName, options: PresetOptions = {}): Chain {
  if (typeof name !== "string" || !Object.hasOwn(PRESETS, name)) {
    throw ChainError.of("UNKNOWN_PRESET", `unknown preset ${JSON.stringify(name)}; known: ${PRESET_NAMES.join(", ")}`);
  }
  const { targetLufs, ceilingDbtp } = options;
  const modules = PRESETS[name].modules.map((m) => {
    if (m.type === "loudness" && targetLufs !== undefined) return { ...m, params: { ...m.params, targetLufs } };
    if (m.type === "limiter" && ceilingDbtp !== undefined) return { ...m, params: { ...m.params, ceilingDbtp } };
    return m;
  });
  return parseChain({ schemaVersion: CURRENT_SCHEMA_VERSION, modules });
}
