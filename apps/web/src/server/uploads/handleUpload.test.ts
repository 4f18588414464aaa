import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { blobKey, createClass, createDb, createProject, createUser, type Db, LocalBlobStore } from "@comaster/db";
import { freshPostgres, freshSqlite, runScript, type TestDatabase } from "@comaster/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { encodeAiff } from "../../../../../packages/codecs/src/testing/encodeAiff";
import { encodeFlac } from "../../../../../packages/codecs/src/testing/encodeFlac";
import { encodeMp3 } from "../../../../../packages/codecs/src/testing/encodeMp3";
import { testProviders } from "../testing/testServices";
import { analyzeWithCli } from "./analyzeWithCli";
import { handleUpload, type UploadDeps, type UploadedAsset } from "./handleUpload";
import { chunkedStream, errorOf, filesUnder, testSignal, uploadRequest, wavBytes } from "./testUploads";
import type { UploadAnalysis } from "./uploadAnalysis";

vi.setConfig({ testTimeout: 30_000 }); // each upload runs the analysis CLI in a child process
const providers = await testProviders();

const ascii = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const WAV = wavBytes(4);
const PNG = concat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), new Uint8Array(200));
// An Ogg page whose first packet is a Vorbis identification header.
const OGG = concat(
  ascii("OggS"),
  new Uint8Array(22),
  Uint8Array.of(1, 30),
  Uint8Array.of(1),
  ascii("vorbis"),
  new Uint8Array(40),
);
const RANDOM = (() => {
  let s = 12_345;
  return Uint8Array.from({ length: 100_000 }, () => (s = (s * 1_103_515_245 + 12_345) >>> 0) >>> 24);
})();

describe.each(providers)("upload on $provider", ({ provider, skip }) => {
  const fresh = provider === "sqlite" ? freshSqlite : freshPostgres;
  let tdb: TestDatabase;
  let db: Db;
  let dir: string;
  let projectId: string;
  let userId: string;
  let deps: UploadDeps;

  beforeAll(async () => {
    if (skip) return;
    tdb = await fresh();
    await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
    db = await createDb(tdb.url);
    const user = await createUser(db, { username: "uploader", displayName: "U", passwordHash: "x" });
    const cls = await createClass(db, "Mastering", user.id);
    projectId = (await createProject(db, cls.id, "Single")).id;
    userId = user.id;
  }, 60_000);

  beforeEach(async () => {
    if (skip) return;
    await db.asset.deleteMany({});
    dir = await mkdtemp(join(tmpdir(), "comaster-upload-"));
    deps = { db, store: new LocalBlobStore(join(dir, "blobs")), projectId, userId, tmpDir: join(dir, "tmp") };
  });

  afterAll(async () => {
    if (skip) return;
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** Nothing half-stored: no temp file, no blob (nor blob temp), no row. */
  async function expectNothingStored() {
    expect(await filesUnder(join(dir, "tmp"))).toEqual([]);
    expect(await filesUnder(join(dir, "blobs"))).toEqual([]);
    expect(await db.asset.count()).toBe(0);
  }

  async function expectRejected(res: Response, status: number, code: string, message: RegExp) {
    const err = await errorOf(res);
    expect(err).toMatchObject({ status, code });
    expect(err.message).toMatch(message);
    await expectNothingStored();
  }

  async function accepted(res: Response): Promise<UploadedAsset> {
    const body = (await res.json()) as { asset?: UploadedAsset; error?: unknown };
    expect(body.error).toBeUndefined();
    expect(res.status).toBe(201);
    return body.asset!;
  }

  describe.skipIf(skip)("accepts", () => {
    it("a WAV: streams it to storage, records the analysis, cleans up", async () => {
      const asset = await accepted(await handleUpload(uploadRequest(WAV, { name: "My Mix (v2).wav" }), deps));

      // The figures equal a direct analysis of the same bytes.
      const file = join(dir, "direct.wav");
      await writeFile(file, WAV);
      const direct = await analyzeWithCli(file);
      await rm(file);
      expect(asset).toMatchObject({
        projectId,
        fileName: "My Mix (v2).wav",
        format: "wav",
        codec: "pcm_s16le",
        byteSize: WAV.byteLength,
        contentHash: sha256(WAV),
        sampleRate: 48_000,
        channels: 2,
        durationSeconds: 4,
        integratedLufs: direct.integratedLufs,
        loudnessRangeLu: direct.loudnessRangeLu,
        truePeakDbtp: direct.truePeakDbtp,
        plrDb: direct.plrDb,
        correlation: direct.correlation,
        clippedSamples: direct.clippedSamples,
      });
      expect(asset.integratedLufs).toBeLessThan(-3);
      expect(asset.clippedSamples).toBe(2); // ch[100] = 1 in both channels
      expect(asset.waveform?.bins).toBe(1000);

      const row = await db.asset.findUniqueOrThrow({ where: { id: asset.id } });
      const analysis = JSON.parse(row.analysisJson ?? "") as UploadAnalysis;
      const { waveform, file: _path, ...figures } = direct as UploadAnalysis & { file: string };
      expect(analysis).toEqual({ ...figures, fileName: "My Mix (v2).wav" });
      expect(JSON.parse(row.waveformJson ?? "")).toEqual(waveform);
      expect(row).toMatchObject({
        projectId,
        contentHash: sha256(WAV),
        format: "wav",
        sampleRate: 48_000,
        channels: 2,
        durationSeconds: 4,
        byteSize: WAV.byteLength,
        storageKey: blobKey(sha256(WAV)),
      });

      expect(sha256(await readFile(deps.store.localPath!(row.storageKey)))).toBe(sha256(WAV));
      expect(await filesUnder(join(dir, "tmp"))).toEqual([]);
    });

    it.each([
      ["an AIFF", "mix.aif", "aiff", () => encodeAiff(testSignal(2, 44_100), 44_100, { bits: 24 })],
      ["a FLAC", "mix.flac", "flac", () => encodeFlac(testSignal(2, 44_100), 44_100, 16)],
      ["an MP3", "mix.mp3", "mp3", () => encodeMp3(testSignal(2, 44_100), 44_100, 192)],
    ])("%s", async (_label, name, format, make) => {
      const bytes = await make();
      const asset = await accepted(await handleUpload(uploadRequest(bytes, { name }), deps));
      expect(asset).toMatchObject({ format, sampleRate: 44_100, channels: 2, byteSize: bytes.byteLength });
      expect(asset.durationSeconds).toBeGreaterThan(1.9);
      expect(asset.integratedLufs).toBeLessThan(-3);
      const row = await db.asset.findUniqueOrThrow({ where: { id: asset.id } });
      expect(JSON.parse(row.analysisJson ?? "").integratedLufs).toBe(asset.integratedLufs);
      expect(await deps.store.has(blobKey(sha256(bytes)))).toBe(true);
      expect(await filesUnder(join(dir, "tmp"))).toEqual([]);
    });

    it("the same bytes twice: one blob, two assets", async () => {
      const a = await accepted(await handleUpload(uploadRequest(WAV), deps));
      const b = await accepted(await handleUpload(uploadRequest(WAV, { name: "again.wav" }), deps));
      expect(a.id).not.toBe(b.id);
      expect(await filesUnder(join(dir, "blobs", "sha256"))).toHaveLength(1);
      expect(await db.asset.count({ where: { storageKey: blobKey(sha256(WAV)) } })).toBe(2);
    });

    it("a body without Content-Length (chunked)", async () => {
      const asset = await accepted(await handleUpload(uploadRequest(WAV, { contentLength: null }), deps));
      expect(asset.byteSize).toBe(WAV.byteLength);
    });

    it("a WAV whose data is cut short, with the decoder's warning", async () => {
      // The decoder reads what is there and says so; it does not reject the file.
      const cut = WAV.slice(0, 44 + 48_000 * 4);
      const asset = await accepted(await handleUpload(uploadRequest(cut), deps));
      expect(asset.durationSeconds).toBe(1);
      expect(asset.warnings.join(" ")).toMatch(/truncated/);
    });
  });

  describe.skipIf(skip)("rejects, storing nothing", () => {
    it.each([
      [
        "a text file",
        "notes.txt",
        ascii("Mastering notes: more low end, less 3 kHz.\n".repeat(50)),
        /a text file.*WAV, AIFF, FLAC or MP3/,
      ],
      ["a PNG", "cover.png", PNG, /looks like a PNG image/],
      ["an Ogg Vorbis file", "mix.ogg", OGG, /looks like an Ogg Vorbis file; upload WAV, AIFF, FLAC or MP3/],
      ["random bytes named .wav", "mix.wav", RANDOM, /"mix.wav" is not an audio file we recognise/],
    ])("%s → 415", async (_label, name, bytes, message) => {
      await expectRejected(await handleUpload(uploadRequest(bytes, { name }), deps), 415, "UNSUPPORTED_TYPE", message);
    });

    it.each([
      ["an empty body", new Uint8Array(0), /is empty/],
      ["a WAV header cut inside the RIFF header", WAV.slice(0, 8), /could not be read: truncated RIFF header/],
      ["a WAV header cut inside the fmt chunk", WAV.slice(0, 30), /could not be read: truncated WAV header/],
      ["a WAV header without frames", WAV.slice(0, 44), /could not be read: the file holds no audio frames/],
    ])("%s → 422 with the decoder's message", async (_label, bytes, message) => {
      await expectRejected(await handleUpload(uploadRequest(bytes), deps), 422, "UNREADABLE_AUDIO", message);
    });

    it("a file over the limit, announced by Content-Length → 413 before reading", async () => {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          pulled++;
          c.enqueue(WAV.slice(0, 1024));
        },
      });
      const req = new Request("http://localhost/", {
        method: "POST",
        headers: { "x-file-name": "big.wav", "content-length": String(WAV.byteLength) },
        body,
        duplex: "half",
      } as RequestInit);
      await expectRejected(await handleUpload(req, { ...deps, maxBytes: 100_000 }), 413, "TOO_LARGE", /limit/);
      expect(pulled).toBeLessThanOrEqual(1); // at most the stream's own first pull
    });

    it("a file over the limit without Content-Length → 413 once the limit is passed", async () => {
      const res = await handleUpload(uploadRequest(WAV, { contentLength: null }), { ...deps, maxBytes: 100_000 });
      await expectRejected(res, 413, "TOO_LARGE", /larger than the limit of 100000 bytes/);
    });

    it("a client abort midway → no temp file, no blob, no row", async () => {
      const req = new Request("http://localhost/", {
        method: "POST",
        headers: { "x-file-name": "mix.wav", "content-length": String(WAV.byteLength) },
        body: chunkedStream(WAV, 16 * 1024, 200_000),
        duplex: "half",
      } as RequestInit);
      await expectRejected(await handleUpload(req, deps), 400, "INCOMPLETE_UPLOAD", /interrupted/);
    });

    it("a client that disconnects midway over real HTTP → nothing left", async () => {
      let handled: Promise<Response> | undefined;
      const server = createServer((req, res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
        const request = new Request("http://localhost/", {
          method: "POST",
          headers,
          body,
          duplex: "half",
        } as RequestInit);
        handled = handleUpload(request, deps);
        void handled.then((r) => res.writeHead(r.status).end());
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(
        `POST /upload HTTP/1.1\r\nHost: x\r\nx-file-name: mix.wav\r\ncontent-length: ${WAV.byteLength}\r\n\r\n`,
      );
      socket.write(WAV.subarray(0, 100_000));
      await vi.waitUntil(() => handled !== undefined);
      socket.destroy(); // the browser tab closes
      const res = await handled!;
      server.close();
      await expectRejected(res, 400, "INCOMPLETE_UPLOAD", /interrupted/);
    });

    it("a body shorter than its Content-Length → 400", async () => {
      const res = await handleUpload(uploadRequest(WAV, { contentLength: WAV.byteLength + 10 }), deps);
      await expectRejected(res, 400, "INCOMPLETE_UPLOAD", /stopped after/);
    });

    it("a missing file name → 400", async () => {
      await expectRejected(
        await handleUpload(uploadRequest(WAV, { name: null }), deps),
        400,
        "BAD_REQUEST",
        /x-file-name/,
      );
    });

    it("an analysis crash → 500", async () => {
      const errors: unknown[] = [];
      const analyze = async () => {
        throw new Error("decoder segfault");
      };
      const res = await handleUpload(uploadRequest(WAV), { ...deps, analyze, onInternalError: (e) => errors.push(e) });
      await expectRejected(res, 500, "ANALYSIS_FAILED", /nothing was stored/);
      expect(errors).toHaveLength(1);
    });

    it("a database failure after the blob was stored → the new blob is removed", async () => {
      const res = await handleUpload(uploadRequest(WAV), { ...deps, projectId: "no-such-project" });
      await expectRejected(res, 500, "STORAGE_FAILED", /nothing was stored/);
    });

    it("a database failure keeps a blob another asset already uses", async () => {
      const first = await accepted(await handleUpload(uploadRequest(WAV), deps));
      const res = await handleUpload(uploadRequest(WAV), { ...deps, projectId: "no-such-project" });
      expect(res.status).toBe(500);
      expect(await deps.store.has(blobKey(first.contentHash))).toBe(true);
      expect(await db.asset.count()).toBe(1);
      expect(await filesUnder(join(dir, "tmp"))).toEqual([]);
    });
  });
});
