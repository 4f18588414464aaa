/**
 * Waiting for other processes on one SQLite file: the busy timeout every connection sets, and the
 * retry of the one step SQLite may refuse at once (the switch into WAL needs the file to itself, and a
 * reader that holds its shared lock while it wants to write would deadlock waiting, so SQLite fails
 * at once even with a busy timeout). One schedule for the async (Prisma) and sync (libsql) drivers.
 */

/** How long a SQLite connection waits for another process's lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** How long a step refused with SQLITE_BUSY is tried again. */
const RETRY_TOTAL_MS = 2 * SQLITE_BUSY_TIMEOUT_MS;

/** True for SQLite's "another connection holds the lock" (through Prisma and its libSQL adapter). */
export function isSqliteBusy(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (/SQLITE_BUSY|database is locked/i.test(String((e as { message?: unknown }).message ?? e))) return true;
  }
  return false;
}

/** The pauses between tries: 20 ms doubling up to 500 ms, ending before one would pass `totalMs`. */
function* busyPauses(totalMs: number): Generator<number, void> {
  const end = Date.now() + totalMs;
  for (let wait = 20; Date.now() + wait <= end; wait = Math.min(wait * 2, 500)) yield wait;
}

/** Runs `f`, again while it fails with SQLITE_BUSY, for up to `totalMs`. */
export async function retryWhileBusy<T>(f: () => Promise<T>, totalMs = RETRY_TOTAL_MS): Promise<T> {
  const pauses = busyPauses(totalMs);
  for (;;) {
    try {
      return await f();
    } catch (error) {
      const pause = pauses.next();
      if (!isSqliteBusy(error) || pause.done) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause.value));
    }
  }
}

/** `retryWhileBusy` for the synchronous driver (the pauses block the thread, as its calls do). */
export function retryWhileBusySync<T>(f: () => T, totalMs = RETRY_TOTAL_MS): T {
  const pauses = busyPauses(totalMs);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return f();
    } catch (error) {
      const pause = pauses.next();
      if (!isSqliteBusy(error) || pause.done) throw error;
      Atomics.wait(sleeper, 0, 0, pause.value);
    }
  }
}
