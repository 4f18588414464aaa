import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiveUpload, sweepUploadTemps } from "./receiveUpload";
import { chunkedStream, wavBytes } from "./testUploads";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "comaster-receive-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("receiveUpload", () => {
  it("spools the body, hashes and counts it, and names the format", async () => {
    const wav = wavBytes(1);
    const got = await receiveUpload(chunkedStream(wav, 1000), { tmpDir: dir, maxBytes: 1e6, fileName: "a.wav" });
    expect(got).toMatchObject({ byteSize: wav.byteLength, format: "wav" });
    expect(got.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(dir)).toEqual([got.path.slice(dir.length + 1)]);
  });

  it("stops reading an unsupported file after the sniff window", async () => {
    let pulled = 0;
    const text = new TextEncoder().encode("x".repeat(1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(text);
      },
    });
    const err = await receiveUpload(endless, { tmpDir: dir, maxBytes: 1e9, fileName: "a.txt" }).catch((e) => e);
    expect(err).toMatchObject({ code: "UNSUPPORTED_TYPE" });
    expect(pulled).toBeLessThan(100); // 64 KiB window of 1 KiB chunks, plus the stream's read-ahead
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("sweepUploadTemps", () => {
  it("removes only old upload temp files", async () => {
    const old = join(dir, "upload-old.part");
    await writeFile(old, "x");
    await utimes(old, new Date(0), new Date(0));
    await writeFile(join(dir, "upload-new.part"), "x");
    await writeFile(join(dir, "other.txt"), "x");
    await utimes(join(dir, "other.txt"), new Date(0), new Date(0));
    expect(await sweepUploadTemps(dir, 60_000)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(["other.txt", "upload-new.part"]);
    expect(await sweepUploadTemps(join(dir, "missing"), 0)).toBe(0);
  });
});
