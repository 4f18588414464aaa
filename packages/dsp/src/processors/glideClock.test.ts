import { describe, expect, it } from "vitest";
import { GlideClock } from "./glideClock";
import { GLIDE_TICK_FRAMES } from "./paramRamp";

/** A clock whose runs and ticks are logged as [frame, length] and frame; it glides until `stopAt`. */
function logged(stopAt: number) {
  const runs: [number, number][] = [];
  const ticks: number[] = [];
  const clock: GlideClock = new GlideClock(
    () => {
      ticks.push(clock.time);
      clock.active = clock.time < stopAt;
    },
    (_block, _off, n) => runs.push([clock.time, n]),
  );
  return { clock, runs, ticks };
}

describe("GlideClock", () => {
  it("while active, ticks on the frame counter's multiples of GLIDE_TICK_FRAMES and ends runs there", () => {
    const { clock, runs, ticks } = logged(3 * GLIDE_TICK_FRAMES);
    clock.process([], 10, 1000);
    clock.active = true;
    clock.process([], 200, 1000);
    expect(ticks).toEqual([32, 64, 96]);
    expect(runs).toEqual([
      [0, 10],
      [10, 22],
      [32, 32],
      [64, 32],
      [96, 114],
    ]);
    expect(clock.time).toBe(210);
  });

  it("splits runs at maxRun; reset goes back to frame 0, inactive", () => {
    const { clock, runs } = logged(0);
    clock.process([], 25, 10);
    expect(runs).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
    clock.active = true;
    clock.reset();
    expect([clock.time, clock.active]).toEqual([0, false]);
  });
});
