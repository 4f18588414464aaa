// The real-time preview, in the browser only: the uploaded mix, streamed in ~10 s pieces, played on
// one AudioContext (Tone's context; Tone is imported dynamically so server rendering never loads it)
// through the "comaster-chain" AudioWorklet — the export's own DSP (see chainWorklet.ts) — with the
// shared chain's edits applied as they arrive.
//
// Graph:  pieces ─► input ─┬─► chain A worklet ─► align ─► level ──┐
//                          ├─► chain B worklet ─► align ─► level ──┼─► output ─► destination
//                          └─► delay ─────────────────────► dry ───┘        (meters tap `output`)
// A is the live shared chain; B, when a saved version is picked, that version's chain (chainPath.ts
// for one path). `dry` is the loudness-matched bypass: the mix with only the heard chain's loudness
// gain. The delays line the three up (abMix.ts `alignment`) and the levels crossfade (`pathLevels`),
// so switching A/B/bypass keeps time and loudness and never clicks.
//
// Loudness: the export measures the programme after the modules that precede the loudness module,
// sets the gain to reach the target and corrects it after the limiter. The server runs exactly that
// for the chain on this mix (`preview.loudnessGain`); `setMeasuredLoudness` hands its figures to the
// engine, which plays with them while the chain is the one measured (`pathLoudness.ts`). Before that,
// and between an edit and its new measurement, it estimates: from the last measurement, else target −
// the mix's integrated loudness from the upload analysis. Gain changes glide (dsp `LoudnessGain`).
//
// Programme time: every piece the player schedules is announced to the worklets (`position`), so
// the fade module applies where the export applies it, after a seek or a loop too. Not previewed:
// the output module (resampling, dither), as in the worklet's own contract.
import type { Chain } from "@comaster/chain";
import type { ModulePlan, ParamValue } from "@comaster/dsp";
import type * as Y from "yjs";
import { type AbSide, alignment, pathLevels } from "./abMix";
import { ChainPath } from "./chainPath";
import { ChunkPlayer, type TransportState } from "./chunkPlayer";
import { streamSource, wholeFileSource } from "./chunkSources";
import { followChain } from "./followChain";
import { GainReductionReadings } from "./gainReductionReadings";
import { type MeasuredLoudness, type PathLoudness, pathLoudness } from "./pathLoudness";
import { CHUNK_SECONDS, openPcmStream } from "./pcmStream";
import { DEFAULT_WORKLET_URL } from "./renderOffline";
import type { ChainLoad, FromWorklet, ToWorklet } from "./workletMessages";

export type { AbSide } from "./abMix";

export interface PreviewEngineOptions {
  /** The mix: `/api/assets/:id/file` (Range requests for WAV/AIFF). */
  readonly url: string;
  /** The chain to start with (validated). */
  readonly chain: Chain;
  /** The mix's integrated loudness from the server-side analysis, LUFS; null if unknown (gain 0 dB). */
  readonly mixLufs: number | null;
  /** Used for the context when the file is not streamable PCM (its rate is not known before decoding). */
  readonly sampleRate?: number;
  readonly workletUrl?: string;
  /** Fetch the first piece at once, before play (default true). */
  readonly prefetch?: boolean;
  readonly chunkSeconds?: number;
}

/** One parameter change on its way through: received (doc changed), posted, applied (worklet said so). */
export interface AppliedChange {
  readonly moduleId: string;
  /** The parameter, or "bypass". */
  readonly key: string;
  readonly value: ParamValue;
  readonly seq: number;
  /** performance.now() when the document change arrived in this page. */
  readonly receivedAt: number;
  /** performance.now() when the worklet's `paramApplied` arrived (the block using it was rendered). */
  readonly appliedAt: number;
  /** The context frame from which the worklet applied it. */
  readonly frame: number;
}

/** A saved version playing as B. */
export interface VersionB {
  readonly id: string;
  readonly label: string;
  readonly loudnessGainDb: number;
  /** The dry path's gain when bypassing while B is heard, dB. */
  readonly bypassGainDb: number;
  /** Whether B's loudness figures are the server's measurement of its chain or an estimate. */
  readonly loudnessSource: PathLoudness["source"];
  /** 0 until its worklet has loaded the chain. */
  readonly latencyFrames: number;
}

export interface PreviewSnapshot {
  readonly state: TransportState;
  readonly durationSeconds: number;
  readonly loop: { readonly start: number; readonly end: number } | null;
  /** Loudness-matched bypass is on. */
  readonly bypassed: boolean;
  /** The chain heard: A (the live chain) or B (`versionB`). */
  readonly listening: AbSide;
  readonly versionB: VersionB | null;
  /** Chain A's loudness gain, dB. */
  readonly loudnessGainDb: number;
  /** The dry path's gain in loudness-matched bypass while A is heard, dB. */
  readonly bypassGainDb: number;
  /** "measured": chain A plays with the export's own gain (the server measured this chain). */
  readonly loudnessSource: PathLoudness["source"];
  /** Chain A's latency, frames. */
  readonly latencyFrames: number;
  /** False when the file could not be streamed and was decoded whole. */
  readonly streaming: boolean;
  readonly lastApplied: AppliedChange | null;
  readonly error: string | null;
}

/** A path's loudness figures in the snapshot (chain A's) and in `VersionB`. */
type LoudnessFields = Pick<PreviewSnapshot, "loudnessGainDb" | "bypassGainDb" | "loudnessSource">;

/** Time constant of every crossfade (A/B, bypass), seconds: 99 % there in ~25 ms. */
const XFADE_S = 0.005;
/** A path that is no longer heard is dropped once its fade-out is over. */
const DROP_AFTER_MS = 200;
/** Positions remembered for a chain B made mid-song (it must know where the programme is). */
const MAX_POSITIONS = 32;

interface Position {
  readonly contextFrame: number;
  readonly frame: number;
}

export class PreviewEngine {
  private readonly listeners = new Set<() => void>();
  private snap: PreviewSnapshot;
  private seq = 0;
  private readonly pending = new Map<number, Omit<AppliedChange, "appliedAt" | "frame">>();
  private readonly statusWaiters: ((s: { processedFrames: number; currentFrame: number }) => void)[] = [];
  private soundWaiters: ((frame: number) => void)[] = [];
  private chain: Chain;
  private b: ChainPath | null = null;
  /** Chain B (the picked version's), for its loudness figures. */
  private chainB: Chain | null = null;
  /** The server's loudness measurements of A's chain and of B's (the latest each). */
  private measuredA: MeasuredLoudness | null = null;
  private measuredB: MeasuredLoudness | null = null;
  /** Snapshot fields waiting for the next update (`refreshLoudnessA` after an edit). */
  private deferred: Partial<PreviewSnapshot> | null = null;
  /** The pieces scheduled since the last restart (play, seek, loop): what a new chain B is told. */
  private positions: Position[] = [];
  private unfollow: (() => void) | null = null;
  private disposed = false;
  private readonly a: ChainPath;
  /** Recent applied changes, newest last (the test hook reads them). */
  readonly applied: AppliedChange[] = [];
  /** The gain reduction of chain A's dynamics modules while playing (the desk's meters). */
  readonly gainReduction = new GainReductionReadings();

  private constructor(
    readonly context: AudioContext,
    private readonly player: ChunkPlayer,
    private readonly input: GainNode,
    private readonly dry: GainNode,
    private readonly delay: DelayNode,
    /** The preview's final output, before the speakers: where meters connect. */
    readonly output: GainNode,
    private readonly channels: number,
    private readonly programmeFrames: number,
    private readonly mixLufs: number | null,
    chain: Chain,
    streaming: boolean,
  ) {
    this.chain = chain;
    const loudness = this.loudnessA();
    this.a = new ChainPath(context, input, output, channels, this.loadOf(chain, loudness.loudnessGainDb), {
      level: 1,
      reportGainReduction: true,
      onMessage: (m) => this.receive(m),
    });
    this.snap = {
      state: "paused",
      durationSeconds: programmeFrames / context.sampleRate,
      loop: null,
      bypassed: false,
      listening: "A",
      versionB: null,
      ...loudness,
      latencyFrames: 0,
      streaming,
      lastApplied: null,
      error: null,
    };
  }

  static async create(o: PreviewEngineOptions): Promise<PreviewEngine> {
    // Tone's context and its global setter only: the whole of "tone" is ~350 KiB minified, these ~130.
    const [{ Context }, { setContext }, stream] = await Promise.all([
      import("tone/build/esm/core/context/Context.js"),
      import("tone/build/esm/core/Global.js"),
      openPcmStream(o.url, undefined, o.chunkSeconds ?? CHUNK_SECONDS),
    ]);
    const raw = new AudioContext({ sampleRate: stream?.sampleRate ?? o.sampleRate, latencyHint: "interactive" });
    const tone = new Context({ context: raw });
    setContext(tone);
    await tone.addAudioWorkletModule(o.workletUrl ?? DEFAULT_WORKLET_URL);

    const source = stream ? streamSource(raw, stream) : await wholeFileSource(raw, o.url);
    const channels = stream?.channels ?? source.get(0)?.numberOfChannels ?? 2;
    const input = raw.createGain();
    const dry = raw.createGain();
    dry.gain.value = 0;
    const delay = raw.createDelay(1);
    const output = raw.createGain();
    input.connect(delay).connect(dry).connect(output);
    output.connect(raw.destination);

    let engine: PreviewEngine | null = null;
    const player = new ChunkPlayer(
      raw,
      input,
      source,
      () => engine?.update({}),
      (contextFrame, frame, restart) => engine?.scheduled(contextFrame, frame, restart),
    );
    engine = new PreviewEngine(
      raw,
      player,
      input,
      dry,
      delay,
      output,
      channels,
      source.frames,
      o.mixLufs,
      o.chain,
      stream !== null,
    );
    if (o.prefetch !== false) void source.load(0).catch(() => {});
    return engine;
  }

  // ── state for the UI ─────────────────────────────────────────────────────────────────────────

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): PreviewSnapshot {
    return this.snap;
  }

  /** Seconds into the programme heard now. */
  position(): number {
    return this.player.position() / this.context.sampleRate;
  }

  // ── transport ────────────────────────────────────────────────────────────────────────────────

  async play(): Promise<void> {
    // Autoplay policy: a context made before the first gesture starts suspended.
    if (this.context.state !== "running") await this.context.resume();
    this.player.play();
  }

  pause(): void {
    this.player.pause();
  }

  toggle(): void {
    if (this.player.playing) this.pause();
    else void this.play();
  }

  seek(seconds: number): void {
    this.player.seek(seconds * this.context.sampleRate);
  }

  /** Loops `[start, end)` seconds; null stops looping. */
  setLoop(region: { start: number; end: number } | null): void {
    const sr = this.context.sampleRate;
    this.player.setLoop(region ? { start: Math.round(region.start * sr), end: Math.round(region.end * sr) } : null);
  }

  // ── the chain ────────────────────────────────────────────────────────────────────────────────

  /** Follows the shared document: every edit is heard at once. Returns the way to stop. */
  follow(doc: Y.Doc): () => void {
    this.unfollow?.();
    const stop = followChain(doc, {
      load: (chain) => this.load(chain),
      setParam: (id, key, value, at) => this.setParam(id, key, value, at),
      setBypass: (id, bypass, at) => this.setBypass(id, bypass, at),
    });
    this.unfollow = stop;
    return () => {
      stop();
      if (this.unfollow === stop) this.unfollow = null;
    };
  }

  /** Replaces chain A (a structural change). */
  load(chain: Chain): void {
    this.chain = chain;
    const loudness = this.loudnessA();
    this.a.post({ type: "load", ...this.loadOf(chain, loudness.loudnessGainDb) });
    this.update(loudness);
    this.applyLevels();
  }

  setParam(moduleId: string, key: string, value: ParamValue, receivedAt = performance.now()): number {
    const seq = ++this.seq;
    this.pending.set(seq, { moduleId, key, value, seq, receivedAt });
    this.a.post({ type: "setParam", moduleId, key, value, seq });
    this.patchChain(moduleId, (m) => ({ ...m, params: { ...m.params, [key]: value } }));
    return seq;
  }

  setBypass(moduleId: string, bypass: boolean, receivedAt = performance.now()): number {
    const seq = ++this.seq;
    this.pending.set(seq, { moduleId, key: "bypass", value: bypass, seq, receivedAt });
    this.a.post({ type: "setBypass", moduleId, bypass, seq });
    this.patchChain(moduleId, (m) => ({ ...m, bypass }));
    return seq;
  }

  /**
   * The server measured a chain on this mix (`preview.loudnessGain`): side A's (the live chain) or
   * B's (the picked version). Used as the export's own figures while that side's chain has the
   * measured `soundSignature`, as the basis of the estimate after edits. The gain glides.
   */
  setMeasuredLoudness(side: AbSide, measured: MeasuredLoudness | null): void {
    if (side === "A") {
      this.measuredA = measured;
      this.refreshLoudnessA();
      return;
    }
    const v = this.snap.versionB;
    if (!v || !this.chainB || !this.b) return;
    this.measuredB = measured;
    const l = this.loudnessOf(this.chainB, measured);
    if (l.loudnessGainDb !== v.loudnessGainDb) {
      this.b.post({ type: "setLoudnessGain", db: l.loudnessGainDb, seq: ++this.seq });
    }
    this.update({ versionB: { ...v, ...l } });
    this.applyLevels();
  }

  /** Loudness-matched bypass: true plays the mix with only the heard chain's loudness gain, so louder never wins. */
  setChainBypassed(bypassed: boolean): void {
    this.update({ bypassed });
    this.applyLevels();
  }

  // ── A/B ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Plays a saved version's chain as B beside the live chain (null: none). B runs in its own
   * worklet, fed by the same pieces, so switching is instant; it follows no edits.
   */
  setVersionB(version: { readonly id: string; readonly label: string; readonly chain: Chain } | null): void {
    if (version === null) {
      const old = this.b;
      this.b = null;
      this.chainB = null;
      this.measuredB = null;
      this.update({ versionB: null, listening: "A" });
      this.applyLevels();
      if (old) {
        old.fadeTo(0, XFADE_S);
        setTimeout(() => old.dispose(), DROP_AFTER_MS);
      }
      this.applyAlignment();
      return;
    }
    if (this.snap.versionB?.id !== version.id) this.measuredB = null;
    this.chainB = version.chain;
    const l = this.loudnessOf(version.chain, this.measuredB);
    const load = this.loadOf(version.chain, l.loudnessGainDb);
    if (this.b) this.b.post({ type: "load", ...load });
    else {
      const path = new ChainPath(this.context, this.input, this.output, this.channels, load, {
        level: 0,
        reportGainReduction: false,
        onMessage: (m) => this.receiveB(path, m),
      });
      this.b = path;
      // Where the programme is: the pieces scheduled since the last play or seek.
      for (const [i, p] of this.positions.entries()) path.post({ type: "position", ...p, restart: i === 0 });
    }
    this.update({
      versionB: { id: version.id, label: version.label, ...l, latencyFrames: 0 },
    });
    this.applyLevels();
  }

  /** Hears chain A or chain B (B only when a version is picked), crossfading. */
  listen(side: AbSide): void {
    const next = side === "B" && this.snap.versionB === null ? "A" : side;
    if (next === this.snap.listening) return;
    this.update({ listening: next });
    this.applyLevels();
  }

  /** A ⇄ B. */
  toggleAB(): void {
    this.listen(this.snap.listening === "A" ? "B" : "A");
  }

  // ── measurement (tests, bench, meters) ───────────────────────────────────────────────────────

  /** Frames chain A's worklet has processed (advances while the context runs). */
  status(): Promise<{ processedFrames: number; currentFrame: number }> {
    return new Promise((resolve) => {
      this.statusWaiters.push(resolve);
      this.a.post({ type: "status" });
    });
  }

  /** Resolves with the context frame of the first non-silent block chain A's worklet renders from now on. */
  nextSound(): Promise<number> {
    return new Promise((resolve) => {
      this.soundWaiters.push(resolve);
      this.a.post({ type: "watchSound" });
    });
  }

  /**
   * TEST HOOK: puts this engine on `window.__comasterPreview` (the e2e tests and the bench read the
   * last applied change, the context state and the worklet's frame counter there). Not an API.
   */
  exposeTestHook(): void {
    const snapshot = () => this.snap;
    (window as unknown as { __comasterPreview?: unknown }).__comasterPreview = {
      engine: this,
      get lastApplied() {
        return snapshot().lastApplied;
      },
      applied: this.applied,
      contextState: () => this.context.state,
      status: () => this.status(),
      nextSound: () => this.nextSound(),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unfollow?.();
    this.player.dispose();
    this.a.dispose();
    this.b?.dispose();
    this.output.disconnect();
    const w = window as unknown as { __comasterPreview?: { engine?: unknown } };
    if (w.__comasterPreview?.engine === this) delete w.__comasterPreview;
    void this.context.close().catch(() => {});
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  /** What a worklet loads for `chain`: every module (fade included), its loudness gain, the programme's length. */
  private loadOf(chain: Chain, loudnessGainDb: number): ChainLoad {
    return {
      modules: chain.modules as readonly ModulePlan[],
      loudnessGainDb,
      programmeFrames: this.programmeFrames,
    };
  }

  /** Chain A's loudness figures for the snapshot. */
  private loudnessA(): LoudnessFields {
    return this.loudnessOf(this.chain, this.measuredA);
  }

  /** A path's loudness figures (`pathLoudness`) as the snapshot and `VersionB` name them. */
  private loudnessOf(chain: Chain, measured: MeasuredLoudness | null): LoudnessFields {
    const l = pathLoudness(chain, this.mixLufs, measured);
    return { loudnessGainDb: l.gainDb, bypassGainDb: l.bypassGainDb, loudnessSource: l.source };
  }

  /**
   * Chain A's chain or measurement changed: the gain glides to its new figure, the bypass follows.
   * After an edit (`deferView`) the snapshot takes the new figures with its next change — the
   * worklet's reply to the edit — so the page does not re-render between the edit and that reply.
   */
  private refreshLoudnessA(deferView = false): void {
    const next = this.loudnessA();
    const s = { ...this.snap, ...this.deferred };
    if (next.loudnessGainDb !== s.loudnessGainDb) {
      this.a.post({ type: "setLoudnessGain", db: next.loudnessGainDb, seq: ++this.seq });
    }
    if (
      next.loudnessGainDb === s.loudnessGainDb &&
      next.bypassGainDb === s.bypassGainDb &&
      next.loudnessSource === s.loudnessSource
    ) {
      return;
    }
    if (deferView) this.deferred = next;
    else this.update(next);
    this.applyLevels(next.bypassGainDb);
  }

  /** The player scheduled a piece: both chains learn where the programme is from then on. */
  private scheduled(contextFrame: number, frame: number, restart: boolean): void {
    if (restart) this.positions = [];
    this.positions.push({ contextFrame, frame });
    if (this.positions.length > MAX_POSITIONS) this.positions.splice(0, this.positions.length - MAX_POSITIONS);
    const message: ToWorklet = { type: "position", contextFrame, frame, restart };
    this.a.post(message);
    this.b?.post(message);
  }

  private receive(m: FromWorklet): void {
    switch (m.type) {
      case "loaded":
        this.applyAlignment();
        this.update({ latencyFrames: m.latencyFrames });
        return;
      case "paramApplied": {
        const p = this.pending.get(m.seq);
        if (!p) return;
        this.pending.delete(m.seq);
        const change: AppliedChange = { ...p, appliedAt: performance.now(), frame: m.frame };
        this.applied.push(change);
        if (this.applied.length > 100) this.applied.splice(0, this.applied.length - 100);
        this.update({ lastApplied: change });
        return;
      }
      case "status":
        for (const w of this.statusWaiters.splice(0)) w(m);
        return;
      case "sound":
        for (const w of this.soundWaiters.splice(0)) w(m.frame);
        return;
      case "gainReduction":
        this.gainReduction.receive(m.ids, m.db);
        return;
      case "error":
        if (m.seq !== undefined) this.pending.delete(m.seq);
        this.update({ error: m.message });
        return;
    }
  }

  private receiveB(path: ChainPath, m: FromWorklet): void {
    if (path !== this.b) return;
    const v = this.snap.versionB;
    if (m.type === "loaded") {
      this.applyAlignment();
      if (v) this.update({ versionB: { ...v, latencyFrames: m.latencyFrames } });
    } else if (m.type === "error") {
      this.update({ error: `Version ${v ? `"${v.label}"` : "B"}: ${m.message}` });
    }
  }

  /** Keeps this engine's copy of the chain in step with the edits it forwards (for the loudness gain). */
  private patchChain(moduleId: string, f: (m: ModulePlan) => ModulePlan): void {
    const plans = this.chain.modules as readonly ModulePlan[];
    const modules = plans.map((m) => (m.id === moduleId ? f(m) : m)) as unknown as Chain["modules"];
    this.chain = { ...this.chain, modules };
    // The gain follows a new target at once (estimated until the server measures the new chain).
    this.refreshLoudnessA(true);
  }

  /** Fades every path to its level for the current A/B and bypass state. */
  private applyLevels(bypassGainDbA = this.deferred?.bypassGainDb ?? this.snap.bypassGainDb): void {
    const s = this.snap;
    const levels = pathLevels({
      listening: s.listening,
      bypassed: s.bypassed,
      bypassGainDbA,
      bypassGainDbB: s.versionB?.bypassGainDb ?? null,
    });
    this.a.fadeTo(levels.a, XFADE_S);
    this.b?.fadeTo(levels.b, XFADE_S);
    this.dry.gain.setTargetAtTime(levels.dry, this.context.currentTime, XFADE_S);
  }

  /** Lines the paths up after a latency changed (a load, a version picked or dropped). */
  private applyAlignment(): void {
    const d = alignment(this.a.latencyFrames, this.b ? this.b.latencyFrames : null);
    this.a.setAlignment(d.a);
    this.b?.setAlignment(d.b);
    this.delay.delayTime.value = d.dry / this.context.sampleRate;
  }

  private update(patch: Partial<PreviewSnapshot>): void {
    const loop = this.player.loopRegion;
    const sr = this.context.sampleRate;
    const deferred = this.deferred;
    this.deferred = null;
    this.snap = {
      ...this.snap,
      ...deferred,
      state: this.player.transportState,
      loop: loop ? { start: loop.start / sr, end: loop.end / sr } : null,
      ...patch,
    };
    // The desk shows chain A's modules: their meters only while A is what is heard.
    this.gainReduction.setActive(this.snap.state !== "paused" && this.snap.listening === "A");
    for (const l of this.listeners) l();
  }
}
