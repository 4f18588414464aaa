import type { ChainProcessor } from "../processors/chainProcessor";
import { CLICK_TONE_HZ } from "./clickDetector";
import type { ParamValue } from "./modulePlan";
import { testDefaults } from "./testParamSpecs";

/* Test support for this folder (not exported from the package). */

/** A live edit: `params` are passed to setParams before frame `frame` is processed. */
export interface Edit {
  readonly frame: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** Anything that is run in place on blocks: a processor, a ChainRenderer. */
export interface BlockTarget {
  process(block: readonly Float32Array[], frames: number): void;
}

/** Something done between blocks, before frame `frame` is processed (an edit, a bypass toggle). */
export interface Action {
  readonly frame: number;
  run(): void;
}

/**
 * Runs `target` over a copy of `input` in blocks of `blockFrames` frames, running each action at its
 * frame (a block ends there, as the preview's blocks end where an edit arrives); returns the output.
 */
export function renderWithActions(
  target: BlockTarget,
  input: readonly Float32Array[],
  blockFrames: number,
  actions: readonly Action[],
): Float32Array[] {
  const out = input.map((c) => c.slice());
  const total = out[0]!.length;
  const sorted = [...actions].sort((a, b) => a.frame - b.frame);
  let next = 0;
  for (let off = 0; off < total; ) {
    while (next < sorted.length && sorted[next]!.frame <= off) sorted[next++]!.run();
    const limit = next < sorted.length ? sorted[next]!.frame : total;
    const len = Math.min(blockFrames, limit - off, total - off);
    target.process(
      out.map((c) => c.subarray(off, off + len)),
      len,
    );
    off += len;
  }
  return out;
}

/** `renderWithActions` for a prepared processor and its setParams edits. */
export function renderWithEdits(
  proc: ChainProcessor<unknown>,
  input: readonly Float32Array[],
  blockFrames: number,
  edits: readonly Edit[],
): Float32Array[] {
  return renderWithActions(
    proc,
    input,
    blockFrames,
    edits.map((e) => ({ frame: e.frame, run: () => proc.setParams(e.params) })),
  );
}

type Params = Record<string, ParamValue>;

/**
 * Settings under which a module, or its parameter `key`, is audible on the click programme
 * (clickDetector.ts): a band with gain for its frequency and Q, a reverb that is mixed in, a limiter
 * that limits; and the programme's tone level and frequency.
 */
export function audibleContext(type: string, key = ""): { base: Params; toneDb: number; toneHz: number } {
  const base = testDefaults(type);
  let toneDb = -12;
  let toneHz = CLICK_TONE_HZ;
  const band = /^b(\d)/.exec(key)?.[1];
  if (type === "eq" && band) {
    if (key.endsWith("Gain")) base[`b${band}Freq`] = 1000;
    else base[`b${band}Gain`] = 12;
  }
  // The tone sits at the edge of band 1 or 4 (crossovers stay at least half an octave apart).
  if (type === "multiband" && band === "1") Object.assign(base, { crossover1Hz: 1000, crossover2Hz: 2000 });
  if (type === "multiband" && band === "4") Object.assign(base, { crossover2Hz: 500, crossover3Hz: 1000 });
  if (type === "imager" && key.endsWith("CrossoverHz")) Object.assign(base, { lowWidthPct: 0, highWidthPct: 50 });
  if (type === "deesser") {
    // A sibilant: in the band the de-esser reduces from 2 kHz, out of it from 3.4 kHz.
    toneHz = 3000;
    if (key !== "thresholdDb") base.thresholdDb = -60;
  }
  if (type === "reverb" && key !== "mixPct") base.mixPct = 30;
  if (type === "limiter") {
    toneDb = -3;
    if (key !== "ceilingDbtp") base.ceilingDbtp = -9;
  }
  return { base, toneDb, toneHz };
}
