import { DspError } from "./errors";
import { concat, sine } from "./signals";

/*
 * The synthetic test signals of EBU Tech 3341 (loudness metering, v4.0 §4 Table 1) and EBU Tech 3342
 * (loudness range, v4.0 §3 Table 1), generated in code with the figures each must read. All are 1 kHz
 * sines; "dBFS" is the peak level of the sine. Shared by this package's tests and by the ffmpeg
 * comparison of the render worker.
 */

export interface ReferenceCase {
  name: string;
  sampleRate: number;
  /** Planar audio. */
  channels: Float32Array[];
  /** BS.1770 channel weights, when not all 1.0. */
  channelWeights?: number[];
  /** What a compliant meter reads. `shortTermAfter3s` must hold for every short-term value from 3 s on. */
  expected: {
    integratedLufs?: number;
    momentaryMaxLufs?: number;
    shortTermMaxLufs?: number;
    shortTermAfter3s?: number;
    loudnessRangeLu?: number;
  };
  /** ± tolerance for every expected figure (LU). */
  tolerance: number;
}

/** 1 kHz sine segments [level dBFS, seconds], the same in every channel. */
function segments(sampleRate: number, channels: number, parts: readonly (readonly [number, number])[]): Float32Array[] {
  return concat(
    ...parts.map(([amplitudeDbfs, seconds]) => sine({ sampleRate, frequency: 1000, amplitudeDbfs, seconds, channels })),
  );
}

export type Tech3341Case = 1 | 2 | 3 | 4 | 5 | 6 | 9;

/** EBU Tech 3341 Table 1, cases 1–6 and 9 (7 and 8 are recordings, not synthetic). */
export function tech3341Case(n: Tech3341Case, sampleRate = 48_000): ReferenceCase {
  const t = 0.1;
  const name = `Tech 3341 case ${n} @ ${sampleRate} Hz`;
  switch (n) {
    case 1:
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, [[-23, 20]]),
        expected: { momentaryMaxLufs: -23, shortTermMaxLufs: -23, integratedLufs: -23 },
        tolerance: t,
      };
    case 2:
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, [[-33, 20]]),
        expected: { momentaryMaxLufs: -33, shortTermMaxLufs: -33, integratedLufs: -33 },
        tolerance: t,
      };
    case 3:
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, [
          [-36, 10],
          [-23, 60],
          [-36, 10],
        ]),
        expected: { integratedLufs: -23 },
        tolerance: t,
      };
    case 4:
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, [
          [-72, 10],
          [-36, 10],
          [-23, 60],
          [-36, 10],
          [-72, 10],
        ]),
        expected: { integratedLufs: -23 },
        tolerance: t,
      };
    case 5:
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, [
          [-26, 20],
          [-20, 20.1],
          [-26, 20],
        ]),
        expected: { integratedLufs: -23 },
        tolerance: t,
      };
    case 6: {
      // L, R, C, Ls, Rs; surround channels weighted 1.41 (BS.1770-4 Table 3).
      const levels = [-28, -28, -24, -30, -30];
      const channels = levels.map(
        (amplitudeDbfs) => sine({ sampleRate, frequency: 1000, amplitudeDbfs, seconds: 20 })[0]!,
      );
      return {
        name,
        sampleRate,
        channels,
        channelWeights: [1, 1, 1, 1.41, 1.41],
        expected: { integratedLufs: -23 },
        tolerance: t,
      };
    }
    case 9: {
      const period: [number, number][] = [
        [-20, 1.34],
        [-30, 1.66],
      ];
      return {
        name,
        sampleRate,
        channels: segments(sampleRate, 2, Array.from({ length: 20 }, () => period).flat()),
        expected: { shortTermAfter3s: -23 },
        tolerance: t,
      };
    }
    default:
      throw new DspError("INVALID_ARGUMENT", `no synthetic Tech 3341 case ${n as number}`);
  }
}

export type Tech3342Case = 1 | 2 | 3 | 4;

/** EBU Tech 3342 Table 1, cases 1–4 (stereo, 20 s per level). */
export function tech3342Case(n: Tech3342Case, sampleRate = 48_000): ReferenceCase {
  const table: Record<Tech3342Case, [number[], number]> = {
    1: [[-20, -30], 10],
    2: [[-20, -15], 5],
    3: [[-40, -20], 20],
    4: [[-50, -35, -20, -35, -50], 15],
  };
  const entry = table[n];
  if (entry === undefined) throw new DspError("INVALID_ARGUMENT", `no synthetic Tech 3342 case ${n as number}`);
  const [levels, lra] = entry;
  return {
    name: `Tech 3342 case ${n} @ ${sampleRate} Hz`,
    sampleRate,
    channels: segments(
      sampleRate,
      2,
      levels.map((l) => [l, 20] as const),
    ),
    expected: { loudnessRangeLu: lra },
    tolerance: 1,
  };
}
