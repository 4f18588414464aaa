/** Why a DSP call was refused. */
export type DspErrorCode = "INVALID_ARGUMENT" | "INVALID_STATE";

/**
 * The one error type this package throws. `code` is for programs, `message` is for people: it names
 * the argument and the offending value. DSP code throws only on misuse (bad options, a block with
 * the wrong number of channels), never on the audio itself: NaN and infinities are counted, not thrown.
 */
export class DspError extends Error {
  override name = "DspError";
  constructor(
    readonly code: DspErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isDspError(e: unknown): e is DspError {
  return e instanceof DspError;
}

/** Throws INVALID_ARGUMENT unless `value` is a finite number in [min, max]. */
export function assertInRange(value: number, min: number, max: number, name: string): void {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new DspError("INVALID_ARGUMENT", `${name} must be a finite number in [${min}, ${max}], got ${value}`);
  }
}

/** Throws INVALID_ARGUMENT unless `value` is an integer in [min, max]. */
export function assertInteger(value: number, min: number, max: number, name: string): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new DspError("INVALID_ARGUMENT", `${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
