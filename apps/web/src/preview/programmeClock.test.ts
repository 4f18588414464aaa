import { describe, expect, it } from "vitest";
import { ProgrammeClock } from "./programmeClock";

describe("ProgrammeClock", () => {
  it("counts input frames as programme frames until told otherwise", () => {
    const clock = new ProgrammeClock();
    expect(clock.at(0)).toBe(0);
    expect(clock.at(12_345)).toBe(12_345);
    expect(clock.nextAfter(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it("jumps at a seek and runs on from there; earlier frames keep their place", () => {
    const clock = new ProgrammeClock();
    clock.set(1000, 500_000); // a seek: input frame 1000 plays programme frame 500 000
    expect(clock.at(999)).toBe(999);
    expect(clock.at(1000)).toBe(500_000);
    expect(clock.at(1128)).toBe(500_128);
    expect(clock.nextAfter(0)).toBe(1000);
    expect(clock.nextAfter(999)).toBe(1000);
    expect(clock.nextAfter(1000)).toBe(Number.POSITIVE_INFINITY);
  });

  it("lets a later announcement replace the ones at or after it (a seek cancels a planned loop return)", () => {
    const clock = new ProgrammeClock();
    clock.set(2000, 10); // planned
    clock.set(1500, 90_000); // seek before it
    expect(clock.size).toBe(2);
    expect(clock.at(2500)).toBe(91_000);
    clock.set(1500, 7); // same frame: replaced
    expect(clock.at(1500)).toBe(7);
    expect(clock.size).toBe(2);
  });

  it("forgets anchors no later frame needs, but keeps the one in force", () => {
    const clock = new ProgrammeClock();
    clock.set(100, 1000);
    clock.set(200, 5000);
    clock.forget(150);
    expect(clock.size).toBe(2); // (100 → 1000) still places 150…199
    expect(clock.at(150)).toBe(1050);
    clock.forget(200);
    expect(clock.size).toBe(1);
    expect(clock.at(250)).toBe(5050);
    clock.reset();
    expect(clock.at(250)).toBe(250);
  });

  it("drops the oldest anchor when full", () => {
    const clock = new ProgrammeClock(4);
    for (let i = 1; i <= 6; i++) clock.set(i * 10, i * 1000);
    expect(clock.size).toBe(4);
    expect(clock.at(60)).toBe(6000);
    expect(clock.at(35)).toBe(3005);
    expect(() => new ProgrammeClock(1)).toThrow(RangeError);
  });
});
