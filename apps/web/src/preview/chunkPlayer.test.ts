import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChunkPlayer, type ChunkSource } from "./chunkPlayer";

const SR = 1000;

/** Just enough of an AudioContext for the player: a clock, and buffer sources that record their start. */
function fakeContext() {
  const started: { when: number; offset: number; duration: number }[] = [];
  const context = {
    currentTime: 0,
    sampleRate: SR,
    createBufferSource() {
      return {
        buffer: null,
        onended: null,
        connect() {},
        disconnect() {},
        stop() {},
        start(when: number, offset: number, duration: number) {
          started.push({ when, offset, duration });
        },
      };
    },
  };
  return { context, started };
}

/** 10 s in 1-s pieces, all loaded. */
function source(): ChunkSource {
  const buffer = { length: SR } as AudioBuffer;
  return { sampleRate: SR, frames: 10 * SR, chunkFrames: SR, get: () => buffer, load: async () => buffer };
}

function player() {
  const { context, started } = fakeContext();
  const scheduled: [number, number, boolean][] = [];
  const p = new ChunkPlayer(
    context as unknown as AudioContext,
    {} as AudioNode,
    source(),
    () => {},
    (contextFrame, frame, restart) => scheduled.push([contextFrame, frame, restart]),
  );
  return { p, context, started, scheduled };
}

describe("ChunkPlayer: the programme position it announces", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("starts pieces on whole context frames and announces each one, the first as a restart", () => {
    const { p, context, started, scheduled } = player();
    context.currentTime = 0.1234;
    p.play();
    // 20 ms lead, rounded up to a frame: 143.4 → 144; then the pieces follow back to back.
    expect(scheduled[0]).toEqual([144, 0, true]);
    expect(scheduled[1]).toEqual([1144, 1000, false]);
    for (const s of started) expect(s.when * SR).toBeCloseTo(Math.round(s.when * SR), 9);
    p.pause();
  });

  it("announces a seek as a restart at the new place", () => {
    const { p, context, scheduled } = player();
    p.play();
    context.currentTime = 0.5;
    p.seek(5500);
    const seek = scheduled.findIndex(([, frame]) => frame === 5500);
    expect(scheduled[seek]).toEqual([520, 5500, true]);
    expect(scheduled[seek + 1]).toEqual([1020, 6000, false]); // the rest of the piece, then the next
    p.pause();
  });

  it("announces every return to a loop's start", () => {
    const { p, context, scheduled } = player();
    p.setLoop({ start: 2000, end: 2400 });
    p.seek(2000);
    p.play();
    context.currentTime = 0.01;
    vi.advanceTimersByTime(50);
    const returns = scheduled.filter(([, frame]) => frame === 2000);
    expect(returns.length).toBeGreaterThanOrEqual(3); // 1.5 s ahead of 0.4-s loops
    expect(returns[0]![2]).toBe(true);
    expect(returns.slice(1).every(([, , restart]) => !restart)).toBe(true);
    for (let i = 1; i < returns.length; i++) expect(returns[i]![0] - returns[i - 1]![0]).toBe(400);
    p.pause();
  });
});
