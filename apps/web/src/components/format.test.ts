import { describe, expect, it } from "vitest";
import { formatTime, formatTimeRange, relativeTime } from "./format";

describe("formatTime", () => {
  it("writes m:ss under an hour and h:mm:ss from an hour on, in whole seconds", () => {
    expect(formatTime(0)).toBe("0:00");
    expect(formatTime(5.9)).toBe("0:05");
    expect(formatTime(83)).toBe("1:23");
    expect(formatTime(599.99)).toBe("9:59");
    expect(formatTime(3599)).toBe("59:59");
    expect(formatTime(3600)).toBe("1:00:00");
    expect(formatTime(3723)).toBe("1:02:03");
    expect(formatTime(36_000 + 61)).toBe("10:01:01");
  });

  it("treats negative and non-finite input as the start", () => {
    expect(formatTime(-3)).toBe("0:00");
    expect(formatTime(Number.NaN)).toBe("0:00");
  });

  it("writes a range with an en dash", () => {
    expect(formatTimeRange(83, 90)).toBe("1:23\u20131:30");
    expect(formatTimeRange(83, null)).toBe("1:23");
  });
});

describe("relativeTime", () => {
  const now = new Date("2025-03-10T12:00:00Z");
  it("counts minutes, hours and days, then gives the date", () => {
    expect(relativeTime(new Date("2025-03-10T11:59:30Z"), now)).toBe("just now");
    expect(relativeTime("2025-03-10T11:55:00Z", now)).toBe("5 min ago");
    expect(relativeTime("2025-03-10T09:00:00Z", now)).toBe("3 h ago");
    expect(relativeTime("2025-03-09T10:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("2025-03-07T12:00:00Z", now)).toBe("3 days ago");
    expect(relativeTime("2025-02-01T12:00:00Z", now)).toBe("2025-02-01");
  });
});
