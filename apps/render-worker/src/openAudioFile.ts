import { constants } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { CliError } from "./cliError";

/** The largest file the CLI reads into memory at once (non-PCM formats). PCM streams and has no limit. */
export const MAX_IN_MEMORY_BYTES = 2 ** 31 - 1;

export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens a path for reading audio, refusing what is not a regular, non-empty file, before any read:
 * a FIFO would block forever on open, a directory has no bytes, a missing file has nothing to say.
 */
export async function openAudioFile(path: string): Promise<OpenedFile> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw fsError(path, err);
  }
  if (info.isDirectory()) throw new CliError("BAD_INPUT", `${path}: is a directory, not an audio file`);
  if (info.isFIFO()) throw new CliError("BAD_INPUT", `${path}: is a FIFO (named pipe), not a regular file`);
  if (!info.isFile()) throw new CliError("BAD_INPUT", `${path}: is not a regular file`);
  if (info.size === 0) throw new CliError("BAD_INPUT", `${path}: empty file (0 bytes)`);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: should the path be swapped for a FIFO after stat, open must not hang.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fsError(path, err);
  }
  const again = await handle.stat();
  if (!again.isFile()) {
    await handle.close();
    throw new CliError("BAD_INPUT", `${path}: is not a regular file`);
  }
  return { handle, size: again.size };
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** A file-system error as one CliError line naming the path; `what` names what the file should be. */
export function fsError(path: string, err: unknown, what = "an audio file"): CliError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? `is a directory, not ${what}`
          : code === "ELOOP"
            ? "too many symbolic links"
            : `cannot read (${code ?? "unknown error"})`;
  return new CliError("IO", `${path}: ${reason}`, 2, { cause: err });
}
