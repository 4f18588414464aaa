// The real-time preview, in the browser only: the uploaded mix, streamed in ~10 s pieces, played on
// one AudioContext (Tone's context; Tone is imported dynamically so server rendering never loads it)
// through the "comaster-chain" AudioWorklet — the export's own DSP (see chainWorklet.ts) — with the
// shared chain's edits applied as they arrive.
//
// Graph:  pieces ─► input ─┬─► chain worklet ─► wet ──┬─► output ─► destination
//                          └─► delay(latency) ─► dry ──┘        (meters tap `output`)
// `dry` is the loudness-matched bypass (A/B): the mix with only the loudness gain, delayed by the
// chain's latency so switching keeps time.
//
// Loudness: the export measures the programme after the modules that precede the loudness module
// and sets the gain to reach the target. The preview cannot measure a whole file before playing, so
// it uses target − the mix's integrated loudness from the upload analysis (`projects.get` →
// `figures.integratedLufs`). When EQ or compression before the loudness stage change the level, the
// export's gain differs from this by that change; `setLoudnessGain` takes a better figure (e.g. a
// measured one) when there is one.
//
// Not yet previewed: the fade module (kept bypassed: the worklet places fades on the frames since its
// last load, and there is no "programme position" message for seeks yet), and the output module
// (resampling, dither), as in the worklet's own contract.
import { type Chain, loudnessTargetOf } from "@comaster/chain";
import type { ModulePlan, ParamValue } from "@comaster/dsp";
import type * as Y from "yjs";
import { ChunkPlayer, type ChunkSource, type LoopRegion, type TransportState } from "./chunkPlayer";
import { followChain } from "./followChain";
import { matchedBypassGainDb } from "./monitor/loudnessMatch";
import { CHUNK_SECONDS, openPcmStream, type PcmStream } from "./pcmStream";
import { DEFAULT_WORKLET_URL } from "./renderOffline";
import { CHAIN_PROCESSOR_NAME, type ChainLoad, type FromWorklet, type ToWorklet } from "./workletMessages";

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

export interface PreviewSnapshot {
  readonly state: TransportState;
  readonly durationSeconds: number;
  readonly loop: { readonly start: number; readonly end: number } | null;
  /** Loudness-matched bypass (A/B) is on. */
  readonly bypassed: boolean;
  readonly loudnessGainDb: number;
  readonly latencyFrames: number;
  /** False when the file could not be streamed and was decoded whole. */
  readonly streaming: boolean;
  readonly lastApplied: AppliedChange | null;
  readonly error: string | null;
}

/** The loudness module's gain the preview applies: target − the mix's measured loudness (0 dB if unknown or bypassed). */
export function loudnessGainFor(chain: Chain, mixLufs: number | null): number {
  return matchedBypassGainDb(mixLufs, loudnessTargetOf(chain));
}

const dbToGain = (db: number) => 10 ** (db / 20);
const XFADE_S = 0.005;
/** Pieces kept around the play position (behind, ahead); the rest are dropped to bound memory. */
const KEEP_BEHIND = 1;
const KEEP_AHEAD = 6;
const PREFETCH_AHEAD = 2;

export class PreviewEngine {
  private readonly listeners = new Set<() => void>();
  private snap: PreviewSnapshot;
  private seq = 0;
  private readonly pending = new Map<number, Omit<AppliedChange, "appliedAt" | "frame">>();
  private readonly statusWaiters: ((s: { processedFrames: number; currentFrame: number }) => void)[] = [];
  private soundWaiters: ((frame: number) => void)[] = [];
  private chain: Chain;
  private unfollow: (() => void) | null = null;
  private disposed = false;
  /** Recent applied changes, newest last (the test hook reads them). */
  readonly applied: AppliedChange[] = [];

  private constructor(
    readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly player: ChunkPlayer,
    private readonly wet: GainNode,
    private readonly dry: GainNode,
    private readonly delay: DelayNode,
    /** The preview's final output, before the speakers: where meters connect. */
    readonly output: GainNode,
    private readonly mixLufs: number | null,
    chain: Chain,
    streaming: boolean,
  ) {
    this.chain = chain;
    this.snap = {
      state: "paused",
      durationSeconds: player.durationFrames / context.sampleRate,
      loop: null,
      bypassed: false,
      loudnessGainDb: loudnessGainFor(chain, mixLufs),
      latencyFrames: 0,
      streaming,
      lastApplied: null,
      error: null,
    };
    node.port.onmessage = (e: MessageEvent<FromWorklet>) => this.receive(e.data);
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
    const load: ChainLoad = {
      modules: previewModules(o.chain),
      loudnessGainDb: loudnessGainFor(o.chain, o.mixLufs),
    };
    const node = tone.createAudioWorkletNode(CHAIN_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [channels],
      channelCount: channels,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions: { channels, load },
    }) as AudioWorkletNode;
    const input = raw.createGain();
    const wet = raw.createGain();
    const dry = raw.createGain();
    dry.gain.value = 0;
    const delay = raw.createDelay(1);
    const output = raw.createGain();
    input.connect(node).connect(wet).connect(output);
    input.connect(delay).connect(dry).connect(output);
    output.connect(raw.destination);

    let engine: PreviewEngine | null = null;
    const player = new ChunkPlayer(raw, input, source, () => engine?.update({}));
    engine = new PreviewEngine(raw, node, player, wet, dry, delay, output, o.mixLufs, o.chain, stream !== null);
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

  /** Replaces the chain (a structural change). */
  load(chain: Chain): void {
    this.chain = chain;
    const db = loudnessGainFor(chain, this.mixLufs);
    this.post({ type: "load", modules: previewModules(chain), loudnessGainDb: db });
    this.update({ loudnessGainDb: db });
    this.applyDryGain();
  }

  setParam(moduleId: string, key: string, value: ParamValue, receivedAt = performance.now()): number {
    const seq = ++this.seq;
    this.pending.set(seq, { moduleId, key, value, seq, receivedAt });
    this.post({ type: "setParam", moduleId, key, value, seq });
    this.patchChain(moduleId, (m) => ({ ...m, params: { ...m.params, [key]: value } }));
    return seq;
  }

  setBypass(moduleId: string, bypass: boolean, receivedAt = performance.now()): number {
    const seq = ++this.seq;
    const fade = this.chain.modules.find((m) => m.id === moduleId)?.type === "fade";
    if (!fade) {
      // The fade stays off in the preview (see the top of this file).
      this.pending.set(seq, { moduleId, key: "bypass", value: bypass, seq, receivedAt });
      this.post({ type: "setBypass", moduleId, bypass, seq });
    }
    this.patchChain(moduleId, (m) => ({ ...m, bypass }));
    return seq;
  }

  /** Overrides the loudness gain (dB) until the next chain change that recomputes it. */
  setLoudnessGain(db: number): void {
    this.post({ type: "setLoudnessGain", db, seq: ++this.seq });
    this.update({ loudnessGainDb: db });
    this.applyDryGain();
  }

  /** Loudness-matched A/B: true plays the mix with only the loudness gain, so louder never wins. */
  setChainBypassed(bypassed: boolean): void {
    this.update({ bypassed });
    const t = this.context.currentTime;
    this.wet.gain.setTargetAtTime(bypassed ? 0 : 1, t, XFADE_S);
    this.applyDryGain();
  }

  // ── measurement (tests, bench, meters) ───────────────────────────────────────────────────────

  /** Frames the worklet has processed (advances while the context runs). */
  status(): Promise<{ processedFrames: number; currentFrame: number }> {
    return new Promise((resolve) => {
      this.statusWaiters.push(resolve);
      this.post({ type: "status" });
    });
  }

  /** Resolves with the context frame of the first non-silent block the worklet renders from now on. */
  nextSound(): Promise<number> {
    return new Promise((resolve) => {
      this.soundWaiters.push(resolve);
      this.post({ type: "watchSound" });
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
    this.node.port.onmessage = null;
    this.node.disconnect();
    this.output.disconnect();
    const w = window as unknown as { __comasterPreview?: { engine?: unknown } };
    if (w.__comasterPreview?.engine === this) delete w.__comasterPreview;
    void this.context.close().catch(() => {});
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  private post(message: ToWorklet): void {
    if (!this.disposed) this.node.port.postMessage(message);
  }

  private receive(m: FromWorklet): void {
    switch (m.type) {
      case "loaded":
        this.delay.delayTime.value = m.latencyFrames / this.context.sampleRate;
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
      case "error":
        if (m.seq !== undefined) this.pending.delete(m.seq);
        this.update({ error: m.message });
        return;
    }
  }

  /** Keeps this engine's copy of the chain in step with the edits it forwards (for the loudness gain). */
  private patchChain(moduleId: string, f: (m: ModulePlan) => ModulePlan): void {
    const plans = this.chain.modules as readonly ModulePlan[];
    const modules = plans.map((m) => (m.id === moduleId ? f(m) : m)) as unknown as Chain["modules"];
    const touched = this.chain.modules.find((m) => m.id === moduleId);
    this.chain = { ...this.chain, modules };
    if (touched?.type !== "loudness") return;
    // The loudness target or its bypass moved: the gain follows.
    const db = loudnessGainFor(this.chain, this.mixLufs);
    if (db !== this.snap.loudnessGainDb) this.setLoudnessGain(db);
  }

  private applyDryGain(): void {
    const g = this.snap.bypassed ? dbToGain(this.snap.loudnessGainDb) : 0;
    this.dry.gain.setTargetAtTime(g, this.context.currentTime, XFADE_S);
  }

  private update(patch: Partial<PreviewSnapshot>): void {
    const loop = this.player.loopRegion;
    const sr = this.context.sampleRate;
    this.snap = {
      ...this.snap,
      state: this.player.transportState,
      loop: loop ? { start: loop.start / sr, end: loop.end / sr } : null,
      ...patch,
    };
    for (const l of this.listeners) l();
  }
}

/**
 * The chain as the preview's worklet gets it: the fade bypassed, since the worklet places it on the
 * frames since the last load (a structural edit mid-song would fade in again), not on the song.
 */
function previewModules(chain: Chain): readonly ModulePlan[] {
  return chain.modules.map((m) => (m.type === "fade" ? { ...m, bypass: true } : m)) as readonly ModulePlan[];
}

/** Pieces of a PCM stream as AudioBuffers, loaded once, prefetched ahead, dropped far behind. */
function streamSource(context: AudioContext, stream: PcmStream): ChunkSource {
  const buffers = new Map<number, AudioBuffer>();
  const loading = new Map<number, Promise<AudioBuffer>>();
  const load = (i: number): Promise<AudioBuffer> => {
    const have = buffers.get(i);
    if (have) return Promise.resolve(have);
    let p = loading.get(i);
    if (!p) {
      p = stream.chunk(i).then((planar) => {
        const b = context.createBuffer(stream.channels, planar[0]!.length, stream.sampleRate);
        for (const [c, x] of planar.entries()) b.copyToChannel(x as Float32Array<ArrayBuffer>, c);
        buffers.set(i, b);
        loading.delete(i);
        return b;
      });
      p.catch(() => loading.delete(i));
      loading.set(i, p);
    }
    return p;
  };
  return {
    sampleRate: stream.sampleRate,
    frames: stream.frames,
    chunkFrames: stream.chunkFrames,
    get: (i) => buffers.get(i),
    load,
    around(frame: number, loop: LoopRegion | null) {
      const at = Math.floor(frame / stream.chunkFrames);
      const loopChunks = loop
        ? [Math.floor(loop.start / stream.chunkFrames), Math.floor((loop.end - 1) / stream.chunkFrames)]
        : null;
      for (const i of buffers.keys()) {
        const inLoop = loopChunks && i >= loopChunks[0]! && i <= loopChunks[1]!;
        if (!inLoop && (i < at - KEEP_BEHIND || i > at + KEEP_AHEAD)) buffers.delete(i);
      }
      // One piece at a time, the one under the play position first: parallel fetches would delay it.
      let next = load(Math.min(at, stream.chunkCount - 1));
      for (let i = at + 1; i <= Math.min(stream.chunkCount - 1, at + PREFETCH_AHEAD); i++)
        next = next.then(() => load(i));
      if (loopChunks) next = next.then(() => load(loopChunks[0]!));
      next.catch(() => {});
    },
  };
}

/** Not streamable PCM (FLAC, MP3…): fetch and decode the whole file, one piece. */
async function wholeFileSource(context: AudioContext, url: string): Promise<ChunkSource> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url} failed: HTTP ${res.status}`);
  const buffer = await context.decodeAudioData(await res.arrayBuffer());
  return {
    sampleRate: buffer.sampleRate,
    frames: buffer.length,
    chunkFrames: buffer.length,
    get: (i) => (i === 0 ? buffer : undefined),
    load: async () => buffer,
  };
}
