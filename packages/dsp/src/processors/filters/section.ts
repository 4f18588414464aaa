import type { BiquadCoefs } from "../../biquad";

/*
 * Second-order sections stored flat in Float64Arrays, and the kernel that runs one over a buffer.
 *
 * Coefficients: SECTION_COEFS numbers per section, [b0, b1, b2, a1, a2], normalised so a0 = 1 with
 * the sign convention of ../../biquad.ts: H(z) = (b0 + b1·z⁻¹ + b2·z⁻²) / (1 + a1·z⁻¹ + a2·z⁻²).
 * State: SECTION_STATE numbers per section and channel, [s1, s2] of the transposed direct form II
 *   y = b0·x + s1;  s1 = b1·x − a1·y + s2;  s2 = b2·x − a2·y
 * (the form Biquad uses). Every processor of this folder computes each section with exactly these
 * three lines, per sample, so the result does not depend on how the audio is split into blocks.
 */

export const SECTION_COEFS = 5;
export const SECTION_STATE = 2;

/** Writes `c` into `out` at `offset` (SECTION_COEFS numbers). */
export function storeCoefs(out: Float64Array, offset: number, c: BiquadCoefs): void {
  out[offset] = c.b0;
  out[offset + 1] = c.b1;
  out[offset + 2] = c.b2;
  out[offset + 3] = c.a1;
  out[offset + 4] = c.a2;
}

/** The section stored in `coefs` at `offset`, as a plain value. */
export function loadCoefs(coefs: Float64Array, offset: number): BiquadCoefs {
  return {
    b0: coefs[offset]!,
    b1: coefs[offset + 1]!,
    b2: coefs[offset + 2]!,
    a1: coefs[offset + 3]!,
    a2: coefs[offset + 4]!,
  };
}

/** Runs the section at `coefs[ci…]` with state `state[si], state[si+1]` over `buf[0…frames)`, in place. */
export function runSection(
  buf: Float64Array,
  frames: number,
  coefs: Float64Array,
  ci: number,
  state: Float64Array,
  si: number,
): void {
  const b0 = coefs[ci]!;
  const b1 = coefs[ci + 1]!;
  const b2 = coefs[ci + 2]!;
  const a1 = coefs[ci + 3]!;
  const a2 = coefs[ci + 4]!;
  let s1 = state[si]!;
  let s2 = state[si + 1]!;
  for (let i = 0; i < frames; i++) {
    const x = buf[i]!;
    const y = b0 * x + s1;
    s1 = b1 * x - a1 * y + s2;
    s2 = b2 * x - a2 * y;
    buf[i] = y;
  }
  state[si] = s1;
  state[si + 1] = s2;
}

/**
 * Runs the same section twice in cascade (a 4th-order Linkwitz–Riley half) from `src` into `dst`
 * (which may be the same array), with states at `state[si…si+3]`.
 */
export function runSectionTwice(
  src: ArrayLike<number>,
  dst: Float64Array,
  frames: number,
  coefs: Float64Array,
  ci: number,
  state: Float64Array,
  si: number,
): void {
  const b0 = coefs[ci]!;
  const b1 = coefs[ci + 1]!;
  const b2 = coefs[ci + 2]!;
  const a1 = coefs[ci + 3]!;
  const a2 = coefs[ci + 4]!;
  let p1 = state[si]!;
  let p2 = state[si + 1]!;
  let q1 = state[si + 2]!;
  let q2 = state[si + 3]!;
  for (let i = 0; i < frames; i++) {
    const x = src[i]!;
    const u = b0 * x + p1;
    p1 = b1 * x - a1 * u + p2;
    p2 = b2 * x - a2 * u;
    const y = b0 * u + q1;
    q1 = b1 * u - a1 * y + q2;
    q2 = b2 * u - a2 * y;
    dst[i] = y;
  }
  state[si] = p1;
  state[si + 1] = p2;
  state[si + 2] = q1;
  state[si + 3] = q2;
}

/*
 * Live edits (see ../paramRamp.ts). While a section's parameters glide, its coefficients move
 * linearly from one tick's design to the next: sample i of a run uses c + i·d, accumulated one step
 * per sample from `coefs` and the per-sample `delta`. The kernels below do not write the coefficients
 * back, so the mid and side chains (or the channels) that share them all see the same values;
 * `advanceCoefs` then takes the same steps once. The numbers do not depend on how the run is split.
 */

/** `runSection` with gliding coefficients (see above). */
export function runSectionGliding(
  buf: Float64Array,
  frames: number,
  coefs: Float64Array,
  ci: number,
  delta: Float64Array,
  state: Float64Array,
  si: number,
): void {
  let b0 = coefs[ci]!;
  let b1 = coefs[ci + 1]!;
  let b2 = coefs[ci + 2]!;
  let a1 = coefs[ci + 3]!;
  let a2 = coefs[ci + 4]!;
  const d0 = delta[ci]!;
  const d1 = delta[ci + 1]!;
  const d2 = delta[ci + 2]!;
  const d3 = delta[ci + 3]!;
  const d4 = delta[ci + 4]!;
  let s1 = state[si]!;
  let s2 = state[si + 1]!;
  for (let i = 0; i < frames; i++) {
    const x = buf[i]!;
    const y = b0 * x + s1;
    s1 = b1 * x - a1 * y + s2;
    s2 = b2 * x - a2 * y;
    buf[i] = y;
    b0 += d0;
    b1 += d1;
    b2 += d2;
    a1 += d3;
    a2 += d4;
  }
  state[si] = s1;
  state[si + 1] = s2;
}

/** Takes `frames` glide steps of the section at `coefs[ci…]` (the steps the kernels took). */
export function advanceCoefs(coefs: Float64Array, ci: number, delta: Float64Array, frames: number): void {
  for (let k = ci; k < ci + SECTION_COEFS; k++) {
    let c = coefs[k]!;
    const d = delta[k]!;
    for (let i = 0; i < frames; i++) c += d;
    coefs[k] = c;
  }
}
