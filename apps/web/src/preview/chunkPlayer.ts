// The preview's transport: plays a programme held as a row of AudioBuffers ("chunks", ~10 s each,
// loaded on demand) back to back on the AudioContext's clock, with play, pause, seek and a loop.
//
// Why not Tone.Transport: its events land on ticks (PPQ 192 at 120 BPM = 2.6 ms), so chunk
// boundaries would gap or overlap and click. Here every piece starts at an exact frame offset of the
// context clock (`AudioBufferSourceNode.start(when, offset, duration)`), the context runs at the
// file's sample rate, and consecutive pieces meet sample-exactly.

/** Where chunk buffers come from: `get` if already loaded, `load` to fetch (cached by the caller). */
export interface ChunkSource {
  readonly sampleRate: number;
  readonly frames: number;
  readonly chunkFrames: number;
  get(i: number): AudioBuffer | undefined;
  load(i: number): Promise<AudioBuffer>;
  /** Hint: frames around `frame` will play soon (prefetch), others may be dropped. */
  around?(frame: number, loop: LoopRegion | null): void;
}

/** A loop, in frames: `[start, end)`. */
export interface LoopRegion {
  readonly start: number;
  readonly end: number;
}

export type TransportState = "paused" | "playing" | "buffering";

/**
 * Called for every piece scheduled: programme frame `frame` plays from context frame
 * `contextFrame` on. `restart` is true for the first piece after play, a seek or a new loop: the
 * pieces announced before it that have not started were cancelled.
 */
export type OnScheduled = (contextFrame: number, frame: number, restart: boolean) => void;

/** A scheduled piece: programme frames `[frame, frame + frames)` from context time `when`. */
interface Segment {
  readonly when: number;
  readonly frame: number;
  readonly frames: number;
}

/** Seconds scheduled ahead of the clock. */
const HORIZON_S = 1.5;
/** Seconds between the press of play (or a seek) and the first scheduled frame. */
const LEAD_S = 0.02;
const TICK_MS = 50;

export class ChunkPlayer {
  private state: TransportState = "paused";
  /** Next programme frame to schedule, and the context time it plays at. */
  private cursor = 0;
  private cursorTime = 0;
  private loop: LoopRegion | null = null;
  private readonly live = new Set<AudioBufferSourceNode>();
  private segments: Segment[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped on every pause / seek: loads that resolve for an older generation are ignored. */
  private generation = 0;
  private ended = false;
  /** The next piece scheduled is the first since `startAt`. */
  private restarting = false;

  constructor(
    private readonly context: AudioContext,
    private readonly destination: AudioNode,
    private readonly source: ChunkSource,
    private readonly onChange: () => void = () => {},
    private readonly onScheduled: OnScheduled = () => {},
  ) {}

  get playing(): boolean {
    return this.state !== "paused";
  }

  get transportState(): TransportState {
    return this.state;
  }

  get durationFrames(): number {
    return this.source.frames;
  }

  get loopRegion(): LoopRegion | null {
    return this.loop;
  }

  /** The programme frame heard now (at the context clock; output latency not subtracted). */
  position(): number {
    if (this.state === "paused") return this.cursor;
    const t = this.context.currentTime;
    const sr = this.source.sampleRate;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.when <= t) return s.frame + Math.min(s.frames, Math.round((t - s.when) * sr));
    }
    return this.segments[0]?.frame ?? this.cursor;
  }

  play(): void {
    if (this.state !== "paused") return;
    if (this.cursor >= this.source.frames) this.cursor = this.loop?.start ?? 0;
    this.ended = false;
    this.state = "playing";
    this.startAt(this.cursor);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.onChange();
  }

  pause(): void {
    if (this.state === "paused") return;
    const at = this.position();
    this.stopSources();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.state = "paused";
    this.cursor = at;
    this.onChange();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Jumps to programme frame `frame` (clamped); keeps playing if it was. */
  seek(frame: number): void {
    const f = Math.max(0, Math.min(this.source.frames, Math.round(frame)));
    if (this.state === "paused") {
      this.cursor = f;
      this.source.around?.(f, this.loop);
    } else {
      this.stopSources();
      this.startAt(f);
    }
    this.onChange();
  }

  /** Loops `[start, end)` (frames) while playing; `null` plays on to the end. */
  setLoop(region: LoopRegion | null): void {
    const r =
      region && region.end - region.start >= 128
        ? { start: Math.max(0, region.start), end: Math.min(this.source.frames, region.end) }
        : null;
    this.loop = r;
    if (this.state !== "paused") {
      // Re-plan from what is heard now: the schedule ahead may cross the new loop's end.
      const at = this.position();
      this.stopSources();
      this.startAt(r && (at < r.start || at >= r.end) ? r.start : at);
    }
    this.onChange();
  }

  dispose(): void {
    this.pause();
  }

  private startAt(frame: number): void {
    this.generation++;
    this.cursor = frame;
    this.cursorTime = this.frameTime(this.context.currentTime + LEAD_S);
    this.restarting = true;
    this.segments = [];
    this.source.around?.(frame, this.loop);
    this.tick();
  }

  private stopSources(): void {
    this.generation++;
    for (const s of this.live) {
      s.onended = null;
      try {
        s.stop();
      } catch {}
      s.disconnect();
    }
    this.live.clear();
  }

  private tick(): void {
    if (this.state === "paused") return;
    const now = this.context.currentTime;
    const sr = this.source.sampleRate;
    const C = this.source.chunkFrames;
    this.segments = this.segments.filter((s) => s.when + s.frames / sr > now - 1);
    if (this.ended) {
      if (now >= this.cursorTime) {
        this.pause();
        this.cursor = 0;
        this.onChange();
      }
      return;
    }
    this.source.around?.(this.position(), this.loop);
    while (this.cursorTime < now + HORIZON_S) {
      if (this.loop && this.cursor >= this.loop.end) this.cursor = this.loop.start;
      if (this.cursor >= this.source.frames) {
        if (this.loop) this.cursor = this.loop.start;
        else {
          this.ended = true;
          return;
        }
      }
      const index = Math.floor(this.cursor / C);
      const buffer = this.source.get(index);
      if (!buffer) {
        this.waitFor(index);
        return;
      }
      if (this.state === "buffering") {
        this.state = "playing";
        this.onChange();
      }
      // Late (a stall, or a slow main thread): restart the timeline a little ahead of the clock.
      if (this.cursorTime < now) this.cursorTime = this.frameTime(now + LEAD_S);
      const offset = this.cursor - index * C;
      let frames = buffer.length - offset;
      if (this.loop && this.cursor < this.loop.end) frames = Math.min(frames, this.loop.end - this.cursor);
      if (frames <= 0) {
        this.cursor = (index + 1) * C;
        continue;
      }
      const node = this.context.createBufferSource();
      node.buffer = buffer;
      node.connect(this.destination);
      node.start(this.cursorTime, offset / sr, frames / sr);
      node.onended = () => {
        this.live.delete(node);
        node.disconnect();
      };
      this.live.add(node);
      this.segments.push({ when: this.cursorTime, frame: this.cursor, frames });
      this.onScheduled(Math.round(this.cursorTime * this.context.sampleRate), this.cursor, this.restarting);
      this.restarting = false;
      this.cursor += frames;
      this.cursorTime += frames / sr;
    }
  }

  /** The context time of the first whole frame at or after `t`: pieces start on a frame, as the chain counts. */
  private frameTime(t: number): number {
    const sr = this.context.sampleRate;
    return Math.ceil(t * sr) / sr;
  }

  /** The chunk at the cursor is not loaded: load it, and if it is late, say "buffering". */
  private waitFor(index: number): void {
    const generation = this.generation;
    if (this.cursorTime < this.context.currentTime + 0.05 && this.state === "playing") {
      this.state = "buffering";
      this.onChange();
    }
    this.source.load(index).then(
      () => {
        if (generation === this.generation) this.tick();
      },
      () => {
        if (generation === this.generation) this.pause();
      },
    );
  }
}
