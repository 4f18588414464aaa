/** Why a byte buffer could not be turned into audio (or audio into bytes). */
export type AudioFormatErrorCode =
  | "EMPTY"
  | "TRUNCATED"
  | "CORRUPT_HEADER"
  | "UNSUPPORTED_CODEC"
  | "UNSUPPORTED_FORMAT"
  | "NOT_AUDIO"
  | "DECODE_FAILED";

/**
 * The one error type this package throws for bad input. `code` is for programs, `message` is for
 * people: it names the container, the field and the offending value.
 */
export class AudioFormatError extends Error {
  override name = "AudioFormatError";
  constructor(
    readonly code: AudioFormatErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isAudioFormatError(e: unknown): e is AudioFormatError {
  return e instanceof AudioFormatError;
}
