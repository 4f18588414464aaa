import { type AudioFormat, isAudioFormatError, sniff } from "@comaster/codecs";
import { UploadError } from "./uploadError";

export const ACCEPTED = "upload WAV, AIFF, FLAC or MP3";

/** Bytes to hold before deciding what a file is; more when an ID3 tag (cover art) comes first. */
export const SNIFF_BYTES = 64 * 1024;
const MAX_SNIFF_BYTES = 16 * 1024 * 1024;

/** How many leading bytes `sniffUpload` wants, given what has arrived so far. */
export function sniffBytesWanted(head: Uint8Array): number {
  if (head.length < 10 || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return SNIFF_BYTES;
  const size = head.subarray(6, 10).reduce((acc, b) => acc * 128 + (b & 0x7f), 0);
  const footer = ((head[5] as number) & 0x10) !== 0 ? 10 : 0;
  return Math.min(MAX_SNIFF_BYTES, Math.max(SNIFF_BYTES, 10 + size + footer + SNIFF_BYTES));
}

/**
 * Decides from the first bytes whether the file is one of ours. Throws UNSUPPORTED_TYPE (415) naming
 * what the file looks like, or UNREADABLE_AUDIO (422) for an empty file or a header cut short.
 */
export function sniffUpload(head: Uint8Array, fileName: string): AudioFormat {
  try {
    return sniff(head).format;
  } catch (err) {
    if (!isAudioFormatError(err)) throw err;
    const name = JSON.stringify(fileName);
    switch (err.code) {
      case "UNSUPPORTED_CODEC": {
        const what = err.message.replace(/^unsupported codec: /, "");
        throw new UploadError("UNSUPPORTED_TYPE", `${name} looks like ${article(what)} file; ${ACCEPTED}.`);
      }
      case "NOT_AUDIO": {
        const what = nonAudioKind(head);
        const looks = what ? `looks like ${what}` : "is not an audio file we recognise";
        throw new UploadError("UNSUPPORTED_TYPE", `${name} ${looks}; ${ACCEPTED}.`);
      }
      case "EMPTY":
        throw new UploadError("UNREADABLE_AUDIO", `${name} is empty (0 bytes).`);
      default:
        throw new UploadError("UNREADABLE_AUDIO", `${name} could not be read: ${err.message}.`);
    }
  }
}

function article(what: string): string {
  // "an Ogg Vorbis", "an MP4/M4A", "an AAC"; "a WebM/Matroska", "a µ-law".
  return /^(?:[AEIO]|MP|M4|FLAC)/.test(what) ? `an ${what}` : `a ${what}`;
}

/** Common files people pick by mistake, by their magic bytes. */
const MAGIC: [bytes: number[], what: string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (or an Office document)"],
  [[0x1f, 0x8b], "a gzip archive"],
  [[0x7f, 0x45, 0x4c, 0x46], "a program (ELF)"],
  [[0x4d, 0x5a], "a Windows program"],
];

function nonAudioKind(head: Uint8Array): string | undefined {
  for (const [magic, what] of MAGIC) if (magic.every((b, i) => head[i] === b)) return what;
  if (looksLikeText(head)) return "a text file";
  return undefined;
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  // Control bytes other than tab, newline, vertical tab, form feed and carriage return mean binary.
  if (sample.some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f)) return false;
  try {
    // stream: a UTF-8 sequence cut at the sample's end is fine.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}
