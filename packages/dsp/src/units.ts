/**
 * Branded number types, so a frequency cannot be passed where a level is expected. They cost nothing
 * at run time: a `Hz` is a plain number that the type checker tracks.
 */
export type Hz = number & { readonly __unit: "Hz" };
/** A level ratio in decibels (relative, e.g. a gain). */
export type Db = number & { readonly __unit: "dB" };
/** A level relative to digital full scale. */
export type Dbfs = number & { readonly __unit: "dBFS" };
/** A true-peak level (ITU-R BS.1770-4 Annex 2). */
export type Dbtp = number & { readonly __unit: "dBTP" };
/** An absolute loudness (ITU-R BS.1770 "LKFS", EBU R128 "LUFS": the same scale). */
export type Lufs = number & { readonly __unit: "LUFS" };
/** A loudness difference (loudness range, relative gates). */
export type Lu = number & { readonly __unit: "LU" };
export type Seconds = number & { readonly __unit: "s" };

export const hz = (n: number): Hz => n as Hz;
export const db = (n: number): Db => n as Db;
export const lufs = (n: number): Lufs => n as Lufs;
export const lu = (n: number): Lu => n as Lu;
export const seconds = (n: number): Seconds => n as Seconds;

/** Amplitude ratio of a level in dB: 20·log10(g) = dB. */
export function dbToGain(level: number): number {
  return 10 ** (level / 20);
}

/** Level in dB of an amplitude ratio; `-Infinity` for 0 (callers turn that into `null` for JSON). */
export function gainToDb(gain: number): Db {
  return (20 * Math.log10(gain)) as Db;
}
