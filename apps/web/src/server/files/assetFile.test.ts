import { createUser, type DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestServices, type TestServices, testProviders } from "../testing/testServices";
import type { SessionUser } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { downloadAsset, parseRange } from "./assetFile";

const providers = await testProviders();

describe("parseRange (RFC 9110 §14.1.2)", () => {
  it.each([
    [null, null],
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-", { start: 100, end: 999 }],
    ["bytes=-200", { start: 800, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=990-5000", { start: 990, end: 999 }],
    ["bytes=1000-", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=5-2", null],
    ["bytes=0-1,5-6", null],
    ["items=0-1", null],
  ])("%s", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });
});

describe.each(providers)(
  "GET /api/assets/:id/file on $provider",
  ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
    let s: TestServices;
    let student: SessionUser;
    let outsider: SessionUser;
    let assetId: string;
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

    async function user(name: string): Promise<SessionUser> {
      const u = await createUser(s.db, { username: name, displayName: name, passwordHash: "x" });
      return { id: u.id, username: u.username, displayName: u.displayName };
    }

    beforeAll(async () => {
      if (skip) return;
      s = await openTestServices(provider);
      const teacher = await user("teacher1");
      student = await user("student1");
      outsider = await user("outsider1");
      const as = (u: SessionUser) => createCaller({ services: s, user: u });
      const { id: classId, inviteCode } = await as(teacher).classes.create({ name: "Year 11 Music" });
      await as(student).classes.join({ code: inviteCode });
      const { id: projectId } = await as(student).projects.create({ classId, name: "Song one" });
      const blob = await s.store.put(bytes);
      const asset = await s.db.asset.create({
        data: {
          projectId,
          contentHash: blob.sha256,
          format: "wav",
          durationSeconds: 1,
          sampleRate: 44100,
          channels: 2,
          storageKey: blob.key,
          byteSize: blob.size,
        },
      });
      assetId = asset.id;
    });

    afterAll(async () => {
      await s?.close();
    });

    const body = async (r: Response) => new Uint8Array(await r.arrayBuffer());

    it.skipIf(skip)("serves the whole file to a member, and says ranges are accepted", async () => {
      const r = await downloadAsset(s.db, s.store, student, assetId, null);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("audio/wav");
      expect(r.headers.get("accept-ranges")).toBe("bytes");
      expect(r.headers.get("content-length")).toBe(String(bytes.length));
      expect(await body(r)).toEqual(bytes);
    });

    it.skipIf(skip)("serves byte ranges: middle, open-ended, suffix", async () => {
      for (const [header, start, end] of [
        ["bytes=70000-199999", 70_000, 199_999],
        ["bytes=299990-", 299_990, 299_999],
        ["bytes=-10", 299_990, 299_999],
        ["bytes=0-0", 0, 0],
      ] as const) {
        const r = await downloadAsset(s.db, s.store, student, assetId, header);
        expect(r.status, header).toBe(206);
        expect(r.headers.get("content-range")).toBe(`bytes ${start}-${end}/${bytes.length}`);
        expect(r.headers.get("content-length")).toBe(String(end - start + 1));
        expect(await body(r)).toEqual(bytes.subarray(start, end + 1));
      }
    });

    it.skipIf(skip)("ranges also work through a store without local files", async () => {
      const streamOnly = { ...s.store, get: s.store.get.bind(s.store), localPath: undefined };
      const r = await downloadAsset(s.db, streamOnly, student, assetId, "bytes=70000-199999");
      expect(await body(r)).toEqual(bytes.subarray(70_000, 200_000));
    });

    it.skipIf(skip)("answers 416 past the end", async () => {
      const r = await downloadAsset(s.db, s.store, student, assetId, `bytes=${bytes.length}-`);
      expect(r.status).toBe(416);
      expect(r.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    });

    it.skipIf(skip)("refuses the signed-out (401) and outsiders (404, as for an unknown id)", async () => {
      expect((await downloadAsset(s.db, s.store, null, assetId, null)).status).toBe(401);
      expect((await downloadAsset(s.db, s.store, outsider, assetId, null)).status).toBe(404);
      expect((await downloadAsset(s.db, s.store, outsider, assetId, "bytes=0-9")).status).toBe(404);
      expect((await downloadAsset(s.db, s.store, student, "nope", null)).status).toBe(404);
    });
  },
);
