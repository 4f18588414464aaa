import { createChainDoc, presetChain, setParam, soundSignature } from "@comaster/chain";
import type { DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PrismaRoomStore } from "../../../collab/prismaRoomStore";
import { createCliGainMeasurer } from "../../preview/measureGainWithCli";
import { type ProjectFixture, projectFixture } from "../../testing/projectFixture";
import { codeOf, openTestServices, type TestServices, testProviders } from "../../testing/testServices";
import { wavBytes } from "../../uploads/testUploads";

const providers = await testProviders();

describe.each(providers)(
  "preview.loudnessGain on $provider",
  ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
    let s: TestServices;
    let f: ProjectFixture;
    let mixId: string;
    let mixPath: string;

    beforeAll(async () => {
      if (skip) return;
      s = await openTestServices(provider);
      f = await projectFixture(s, "pg-");
      const blob = await s.store.put(wavBytes(3));
      mixPath = s.store.localPath!(blob.key);
      const mix = await s.db.asset.create({
        data: {
          projectId: f.projectId,
          contentHash: blob.sha256,
          format: "wav",
          durationSeconds: 3,
          sampleRate: 48_000,
          channels: 2,
          storageKey: blob.key,
          byteSize: blob.size,
        },
      });
      mixId = mix.id;
    }, 120_000);

    afterAll(async () => {
      if (!skip) await s?.close();
    });

    /** Asks as `user` until the answer is no longer "measuring". */
    async function settled(user: ProjectFixture["teacher"], versionId?: string) {
      const input = { projectId: f.projectId, assetId: mixId, versionId };
      for (let i = 0; i < 600; i++) {
        const r = await f.as(user).preview.loudnessGain(input);
        if (r.status !== "measuring") return r;
        await new Promise((done) => setTimeout(done, 50));
      }
      throw new Error("the measurement did not finish");
    }

    it.skipIf(skip)("measures the live chain on the server, with the export's passes, once", async () => {
      const first = await f.as(f.student).preview.loudnessGain({ projectId: f.projectId, assetId: mixId });
      expect(first).toMatchObject({
        status: "measuring",
        gainDb: null,
        sound: soundSignature(presetChain("streaming")),
      });
      const ready = await settled(f.listener); // listeners hear the preview too
      expect(ready.status).toBe("ready");
      const direct = await createCliGainMeasurer()(mixPath, presetChain("streaming"));
      expect(ready).toMatchObject({
        gainDb: direct.loudnessGainDb,
        targetLufs: -14,
        integratedLufs: direct.integratedLufs,
      });
      expect(await s.db.loudnessGain.count({ where: { assetId: mixId } })).toBe(1);
    });

    it.skipIf(skip)("an edit of the live chain is a new measurement; a saved version has its own", async () => {
      const live = createChainDoc(presetChain("streaming"));
      const store = new PrismaRoomStore(s.db);
      await store.compact(f.projectId, Y.encodeStateAsUpdate(live));
      const before = Y.encodeStateVector(live);
      setParam(live, "loudness", "targetLufs", -18);
      await store.append(f.projectId, Y.encodeStateAsUpdate(live, before));
      const edited = await settled(f.teacher);
      expect(edited).toMatchObject({ status: "ready", targetLufs: -18 });
      expect(edited.sound).not.toBe(soundSignature(presetChain("streaming")));

      const { id } = await f.as(f.teacher).versions.save({ projectId: f.projectId, label: "at -18" });
      const version = await settled(f.teacher, id);
      expect(version).toMatchObject({ status: "ready", gainDb: edited.gainDb, sound: edited.sound });
    });

    it.skipIf(skip)("a mix whose file is gone fails with a sentence, and nothing is stored", async () => {
      const gone = await s.db.asset.create({
        data: {
          projectId: f.projectId,
          contentHash: "1".repeat(64),
          format: "wav",
          durationSeconds: 3,
          sampleRate: 48_000,
          channels: 2,
          storageKey: `sha256/11/11/${"1".repeat(64)}`,
          byteSize: 10,
        },
      });
      const input = { projectId: f.projectId, assetId: gone.id };
      let r = await f.as(f.teacher).preview.loudnessGain(input);
      for (let i = 0; i < 200 && r.status === "measuring"; i++) {
        await new Promise((done) => setTimeout(done, 50));
        r = await f.as(f.teacher).preview.loudnessGain(input);
      }
      expect(r).toMatchObject({ status: "failed" });
      expect((r as { message: string }).message).toMatch(
        /^The loudness could not be measured: .*(no such file|not found|does not exist)/i,
      );
      expect(await s.db.loudnessGain.count({ where: { assetId: gone.id } })).toBe(0);
    });

    it.skipIf(skip)("outsiders, other projects' mixes and other projects' versions are NOT_FOUND", async () => {
      expect(await codeOf(f.as(f.outsider).preview.loudnessGain({ projectId: f.projectId, assetId: mixId }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(f.as(null).preview.loudnessGain({ projectId: f.projectId, assetId: mixId }))).toBe(
        "UNAUTHORIZED",
      );
      const other = await f.as(f.teacher).projects.create({ classId: f.classId, name: "Other" });
      expect(await codeOf(f.as(f.teacher).preview.loudnessGain({ projectId: other.id, assetId: mixId }))).toBe(
        "NOT_FOUND",
      );
      const { id } = await f.as(f.teacher).versions.save({ projectId: other.id, label: "elsewhere" });
      expect(
        await codeOf(f.as(f.teacher).preview.loudnessGain({ projectId: f.projectId, assetId: mixId, versionId: id })),
      ).toBe("NOT_FOUND");
      expect(await codeOf(f.as(f.teacher).preview.loudnessGain({ projectId: f.projectId, assetId: "" }))).toBe(
        "BAD_REQUEST",
      );
    });
  },
);
