import { describe, expect, it } from "vitest";
import { GainReductionReadings } from "./gainReductionReadings";

describe("GainReductionReadings", () => {
  it("keeps the latest reading by module id while playing, and nothing once stopped", () => {
    const readings = new GainReductionReadings();
    let changes = 0;
    readings.subscribe(() => changes++);
    readings.receive(["limiter"], [4]);
    expect(readings.get("limiter")).toBeNull(); // stopped: ignored
    readings.setActive(true);
    expect(readings.active).toBe(true);
    expect(readings.get("limiter")).toBeNull(); // nothing measured yet
    readings.receive(["compressor", "limiter"], new Float32Array([1.5, 6]));
    expect(readings.get("compressor")).toBe(1.5);
    expect(readings.get("limiter")).toBe(6);
    readings.receive(["limiter"], [2]);
    expect(readings.get("compressor")).toBeNull(); // a chain without it now
    expect(readings.get("limiter")).toBe(2);
    readings.setActive(false);
    expect(readings.get("limiter")).toBeNull();
    readings.setActive(true);
    expect(readings.get("limiter")).toBeNull(); // an old reading never comes back
    expect(changes).toBe(5);
  });

  it("stops telling a listener once it unsubscribes", () => {
    const readings = new GainReductionReadings();
    let changes = 0;
    const stop = readings.subscribe(() => changes++);
    readings.setActive(true);
    stop();
    readings.receive(["limiter"], [1]);
    expect(changes).toBe(1);
  });
});
