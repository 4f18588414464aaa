// Live changes the preview makes outside its ChainRenderers do not click: the loudness gain, the
// loudness module's bypass, the fade's bypass and the fade's parameters (inS, outS, curve), changed
// between blocks while audio plays, glide (clickDetector.ts in @comaster/dsp, the threshold of
// packages/dsp's bypassClicks.test.ts). The same
// changes as a hard switch do click, so the settings are audible enough for the check to mean
// something; a change at an odd frame gives the same samples whatever the block size; and a change
// before the first frame, or after `reset`, applies at once (a static render stays the export's).
import { type FadeParams, GLIDE_SECONDS, type ModulePlan } from "@comaster/dsp";
import { CLICK_THRESHOLD, clickProgramme, hardSwitch, measureClick, testDefaults } from "@comaster/dsp/testing";
import { describe, expect, it } from "vitest";
import { WorkletChain } from "./workletChain";

const RATE = 48_000;
const BLOCK = 128;
/** The change: 0.51 s in, after the chain has settled on the programme. */
const CHANGE = 192 * BLOCK;
/** Frames after the glide that the change window covers. */
const TAIL = 4096;
const GLIDE = Math.round(GLIDE_SECONDS * RATE);
/** The programme's length (2.05 s), so that a fade-out can reach back to CHANGE; the input is shorter. */
const PROGRAMME = 4 * CHANGE;
/** The programme's tone, dBFS peak: under the limiter's ceiling with 12 dB of loudness gain. */
const TONE_DB = -24;

interface Settings {
  readonly loudnessGainDb: number;
  readonly loudnessBypass: boolean;
  readonly fadeBypass: boolean;
  readonly fade: FadeParams;
}

/**
 * An EQ move before the loudness module, a limiter after it (its look-ahead gives the chain latency,
 * so the fade's timeline lags the input), and a fade (by default a 30 s linear fade-in: −35 dB at CHANGE).
 */
function modules(s: Settings): ModulePlan[] {
  return [
    { id: "eq", type: "eq", bypass: false, params: { ...testDefaults("eq"), b4Freq: 1000, b4Gain: 3 } },
    { id: "loudness", type: "loudness", bypass: s.loudnessBypass, params: { targetLufs: -14 } },
    { id: "limiter", type: "limiter", bypass: false, params: testDefaults("limiter") },
    { id: "fade", type: "fade", bypass: s.fadeBypass, params: { ...s.fade } },
  ];
}

const chainOf = (s: Settings) =>
  new WorkletChain({ modules: modules(s), loudnessGainDb: s.loudnessGainDb, programmeFrames: PROGRAMME }, RATE, 2);

/** Sets the fade's parameters, one by one as the editor sends them. */
function setFade(chain: WorkletChain, fade: FadeParams): void {
  for (const key of ["inS", "outS", "curve"] as const) chain.setParam("fade", key, fade[key]);
}

/** A change made between blocks, before input frame `frame`. */
interface Action {
  readonly frame: number;
  run(chain: WorkletChain): void;
}

/**
 * Runs `chain` over `input` in blocks of at most `blockFrames`, a block ending at each action's frame
 * (the worklet's blocks end where a message arrives); returns the output.
 */
function renderLive(chain: WorkletChain, input: readonly Float32Array[], blockFrames: number, actions: Action[]) {
  const out = input.map((c) => c.slice());
  const total = out[0]!.length;
  let next = 0;
  for (let at = 0; at < total; ) {
    while (next < actions.length && actions[next]!.frame <= at) actions[next++]!.run(chain);
    const limit = next < actions.length ? actions[next]!.frame : total;
    const n = Math.min(blockFrames, limit - at, total - at);
    const views = out.map((c) => c.subarray(at, at + n));
    chain.process(views, views, n);
    at += n;
  }
  return out;
}

interface Change {
  readonly name: string;
  readonly from: Settings;
  readonly to: Settings;
  apply(chain: WorkletChain): void;
}

const FADE_IN: FadeParams = { inS: 30, outS: 0, curve: "linear" };
/** A fade-out over the last 1.6 s of PROGRAMME: 0.997 at CHANGE (sCurve), 0.52 with outS 3 s. */
const FADE_OUT: FadeParams = { inS: 0, outS: 1.6, curve: "sCurve" };
const ON: Settings = { loudnessGainDb: 6, loudnessBypass: false, fadeBypass: false, fade: FADE_IN };
const CHANGES: Change[] = [
  {
    name: "loudness gain 0 dB → 12 dB",
    from: { ...ON, loudnessGainDb: 0 },
    to: { ...ON, loudnessGainDb: 12 },
    apply: (c) => c.setLoudnessGainDb(12),
  },
  {
    name: "loudness gain 12 dB → −6 dB",
    from: { ...ON, loudnessGainDb: 12 },
    to: { ...ON, loudnessGainDb: -6 },
    apply: (c) => c.setLoudnessGainDb(-6),
  },
  {
    name: "loudness bypassed",
    from: ON,
    to: { ...ON, loudnessBypass: true },
    apply: (c) => c.setBypass("loudness", true),
  },
  {
    name: "loudness un-bypassed",
    from: { ...ON, loudnessBypass: true },
    to: ON,
    apply: (c) => c.setBypass("loudness", false),
  },
  {
    name: "fade bypassed mid fade-in",
    from: ON,
    to: { ...ON, fadeBypass: true },
    apply: (c) => c.setBypass("fade", true),
  },
  {
    name: "fade un-bypassed mid fade-in",
    from: { ...ON, fadeBypass: true },
    to: ON,
    apply: (c) => c.setBypass("fade", false),
  },
  {
    name: "fade inS 30 s → 15 s mid fade-in (+6 dB)",
    from: ON,
    to: { ...ON, fade: { ...FADE_IN, inS: 15 } },
    apply: (c) => c.setParam("fade", "inS", 15),
  },
  {
    name: "fade outS 1.6 s → 3 s mid fade-out (−5.6 dB)",
    from: { ...ON, fade: FADE_OUT },
    to: { ...ON, fade: { ...FADE_OUT, outS: 3 } },
    apply: (c) => c.setParam("fade", "outS", 3),
  },
  {
    name: "fade curve linear → logarithmic mid fade-in (+16 dB)",
    from: ON,
    to: { ...ON, fade: { ...FADE_IN, curve: "logarithmic" } },
    apply: (c) => c.setParam("fade", "curve", "logarithmic"),
  },
];

function setup(change: Change) {
  const latency = chainOf(change.from).latencyFrames;
  const span = latency + GLIDE + TAIL;
  const input = clickProgramme({ sampleRate: RATE, frames: CHANGE + 2 * span + BLOCK, toneDb: TONE_DB });
  return { input, span, latency };
}

describe("WorkletChain: live changes do not click", () => {
  it.each(CHANGES.map((c) => [c.name, c] as const))("%s", (_, change) => {
    const { input, span, latency } = setup(change);
    expect(latency).toBeGreaterThan(0);
    const out = renderLive(chainOf(change.from), input, BLOCK, [{ frame: CHANGE, run: change.apply }]);
    const m = measureClick(out, CHANGE, span);
    expect(m.score, `change ${m.change.toExponential(2)}, before ${m.before.toExponential(2)}`).toBeLessThan(
      CLICK_THRESHOLD,
    );
    // From the end of the glide on, the samples are those of the chain loaded with the new settings.
    const settled = renderLive(chainOf(change.to), input, BLOCK, []);
    const from = CHANGE + latency + GLIDE;
    for (let c = 0; c < 2; c++) expect(out[c]!.subarray(from)).toEqual(settled[c]!.subarray(from));
  });

  it.each(CHANGES.map((c) => [c.name, c] as const))("%s as a hard switch does click", (_, change) => {
    const { input, span } = setup(change);
    const before = renderLive(chainOf(change.from), input, BLOCK, []);
    const after = renderLive(chainOf(change.to), input, BLOCK, []);
    expect(measureClick(hardSwitch(before, after, CHANGE), CHANGE, span).score).toBeGreaterThan(CLICK_THRESHOLD);
  });
});

describe("WorkletChain: live changes at odd frames", () => {
  /** Mid-block for 128-frame blocks; a second change turns the first round mid-glide. */
  const ODD = CHANGE + 37;
  const BACK = ODD + 301;

  it.each(CHANGES.map((c) => [c.name, c] as const))(
    "%s, turned round mid-glide: the same samples in blocks of 128, 100 and 7",
    (_, change) => {
      const { input } = setup(change);
      const back: Action = {
        frame: BACK,
        run: (c) => {
          c.setLoudnessGainDb(change.from.loudnessGainDb);
          c.setBypass("loudness", change.from.loudnessBypass);
          c.setBypass("fade", change.from.fadeBypass);
          setFade(c, change.from.fade);
        },
      };
      // A seek inside the glide: the fade's runs split the blocks (the chain's latency is no multiple of 7).
      const seek: Action = { frame: ODD + 200, run: (c) => c.setPosition(CHANGE * 2) };
      const render = (block: number) =>
        renderLive(chainOf(change.from), input, block, [{ frame: ODD, run: change.apply }, seek, back]);
      const reference = render(128);
      for (const block of [100, 7]) {
        const out = render(block);
        for (let c = 0; c < 2; c++) expect(out[c]).toEqual(reference[c]);
      }
    },
  );
});

describe("WorkletChain: an edit of the bypassed fade", () => {
  it("applies at once, whatever the block size (a glide under way when the bypass ends lands)", () => {
    const { input } = setup(CHANGES[0]!);
    const ODD = CHANGE + 37;
    const actions = (edit: boolean): Action[] => [
      { frame: ODD, run: (c) => c.setBypass("fade", true) },
      // Late in the bypass glide: the edit's own glide would outlast it by far.
      ...(edit ? [{ frame: ODD + GLIDE - 60, run: (c: WorkletChain) => c.setParam("fade", "inS", 15) }] : []),
      { frame: ODD + GLIDE + 301, run: (c) => c.setBypass("fade", false) },
    ];
    const loaded = renderLive(chainOf({ ...ON, fade: { ...FADE_IN, inS: 15 } }), input, BLOCK, actions(false));
    for (const block of [128, 100, 7]) {
      const out = renderLive(chainOf(ON), input, block, actions(true));
      // From the end of the bypass glide on (the unfaded signal, then the un-bypass), the same samples.
      for (let c = 0; c < 2; c++) expect(out[c]!.subarray(ODD + GLIDE)).toEqual(loaded[c]!.subarray(ODD + GLIDE));
    }
  });
});

describe("WorkletChain: changes before the first frame", () => {
  it.each([false, true])("apply at once (after a reset too: %s)", (afterReset) => {
    const input = clickProgramme({ sampleRate: RATE, frames: 20 * BLOCK, toneDb: TONE_DB });
    const chain = chainOf({ loudnessGainDb: 0, loudnessBypass: true, fadeBypass: true, fade: FADE_IN });
    if (afterReset) {
      renderLive(chain, input, BLOCK, []);
      chain.setBypass("fade", false);
      chain.setLoudnessGainDb(3);
      setFade(chain, FADE_OUT);
      renderLive(chain, input, BLOCK, []);
      chain.reset();
    }
    chain.setLoudnessGainDb(-3);
    chain.setLoudnessGainDb(9);
    chain.setBypass("loudness", false);
    chain.setBypass("fade", true);
    chain.setBypass("fade", false);
    setFade(chain, { inS: 0.2, outS: 0, curve: "exponential" });
    const out = renderLive(chain, input, BLOCK, []);
    const loaded = renderLive(
      chainOf({ ...ON, loudnessGainDb: 9, fade: { inS: 0.2, outS: 0, curve: "exponential" } }),
      input,
      BLOCK,
      [],
    );
    for (let c = 0; c < 2; c++) expect(out[c]).toEqual(loaded[c]);
  });
});
