/** Why an upload was refused or failed; each code has one HTTP status. */
export type UploadErrorCode =
  | "BAD_REQUEST" // missing or malformed headers
  | "TOO_LARGE" // over the byte limit (413)
  | "UNSUPPORTED_TYPE" // not WAV/AIFF/FLAC/MP3 (415)
  | "UNREADABLE_AUDIO" // recognised container the decoder rejects: empty, truncated, corrupt, no frames (422)
  | "INCOMPLETE_UPLOAD" // the client stopped sending before the end
  | "ANALYSIS_FAILED" // the analyser crashed, timed out or printed nonsense
  | "STORAGE_FAILED"
  | "INTERNAL";

const STATUS: Record<UploadErrorCode, number> = {
  BAD_REQUEST: 400,
  TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  UNREADABLE_AUDIO: 422,
  INCOMPLETE_UPLOAD: 400,
  ANALYSIS_FAILED: 500,
  STORAGE_FAILED: 500,
  INTERNAL: 500,
};

/** An upload failure with a message meant for the person uploading. Becomes an HTTP response at the edge. */
export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** `{ error: { code, message } }` with the code's status. */
export function errorResponse(err: UploadError): Response {
  return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status });
}
