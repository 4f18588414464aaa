import { addModule, createChainDoc, moveModule, presetChain, readChain, setBypass, setParam } from "@comaster/chain";
import type { DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PrismaRoomStore } from "../../../collab/prismaRoomStore";
import { type ProjectFixture, projectFixture } from "../../testing/projectFixture";
import { codeOf, openTestServices, type TestServices, testProviders } from "../../testing/testServices";

const providers = await testProviders();

describe.each(providers)("versions on $provider", ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
  let s: TestServices;
  let f: ProjectFixture;
  /** The project's live document, mirrored into the collaboration server's store edit by edit. */
  let live: Y.Doc;

  /** Runs `change` on the live document and appends its update to the store, as the collaboration server does. */
  async function edit(change: (doc: Y.Doc) => void): Promise<void> {
    const before = Y.encodeStateVector(live);
    change(live);
    await new PrismaRoomStore(s.db).append(f.projectId, Y.encodeStateAsUpdate(live, before));
  }

  beforeAll(async () => {
    if (skip) return;
    s = await openTestServices(provider);
    f = await projectFixture(s, "v-");
  }, 120_000);

  afterAll(async () => {
    if (!skip) await s?.close();
  });

  it.skipIf(skip)("a project nobody opened yet saves the chain its room would start from", async () => {
    const { id, parentId } = await f.as(f.student).versions.save({ projectId: f.projectId, label: "  First  " });
    expect(parentId).toBeNull();
    const version = await f.as(f.student).versions.get({ versionId: id });
    expect(version).toMatchObject({ label: "First", projectId: f.projectId });
    expect(version.chain).toEqual(presetChain("streaming"));
  });

  it.skipIf(skip)("save snapshots the live document as the collaboration server stored it", async () => {
    live = createChainDoc(presetChain("streaming"));
    await new PrismaRoomStore(s.db).compact(f.projectId, Y.encodeStateAsUpdate(live));
    await edit((d) => setParam(d, "limiter", "ceilingDbtp", -0.3));
    await edit((d) => setBypass(d, "compressor", true));
    const [first] = await f.as(f.teacher).versions.list({ projectId: f.projectId });
    const saved = await f.as(f.teacher).versions.save({ projectId: f.projectId, label: "Hotter ceiling" });
    expect(saved.parentId).toBe(first!.id);
    const { chain } = await f.as(f.teacher).versions.get({ versionId: saved.id });
    expect(chain).toEqual(readChain(live));
    expect(chain.modules.find((m) => m.id === "limiter")!.params).toMatchObject({ ceilingDbtp: -0.3 });
    // The log folded into the state reads the same.
    await new PrismaRoomStore(s.db).compact(f.projectId, Y.encodeStateAsUpdate(live));
    const again = await f.as(f.teacher).versions.save({ projectId: f.projectId, label: "Same again" });
    expect((await f.as(f.teacher).versions.get({ versionId: again.id })).chain).toEqual(chain);
    expect(again.parentId).toBe(saved.id);
  });

  it.skipIf(skip)("list: newest first, with label, author name, time and parent", async () => {
    const list = await f.as(f.listener).versions.list({ projectId: f.projectId });
    expect(list.map((v) => [v.label, v.authorName])).toEqual([
      ["Same again", "Teacher"],
      ["Hotter ceiling", "Teacher"],
      ["First", "Student"],
    ]);
    expect(list[0]!.parentId).toBe(list[1]!.id);
    expect(list[2]!.parentId).toBeNull();
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
  });

  it.skipIf(skip)("a label must have 1 to 80 characters after trimming", async () => {
    const save = (label: string) => f.as(f.student).versions.save({ projectId: f.projectId, label });
    await expect(save("   ")).rejects.toThrow("Give the version a label.");
    await expect(save("x".repeat(81))).rejects.toThrow("Keep the label to 80 characters or fewer.");
    expect(await codeOf(save("x".repeat(81)))).toBe("BAD_REQUEST");
    const { label } = await save(` ${"y".repeat(80)} `);
    expect(label).toBe("y".repeat(80));
  });

  it.skipIf(skip)("diff: the changes between two versions and the lines people read", async () => {
    const c = f.as(f.student);
    const from = await c.versions.save({ projectId: f.projectId, label: "Before" });
    await edit((d) => moveModule(d, "eq", 3));
    await edit((d) => setBypass(d, "imager", true));
    await edit((d) => addModule(d, "trim"));
    await edit((d) => setParam(d, "limiter", "ceilingDbtp", -1));
    const to = await c.versions.save({ projectId: f.projectId, label: "After" });
    const diff = await f.as(f.listener).versions.diff({ fromVersionId: from.id, toVersionId: to.id });
    expect(diff.lines).toEqual([
      "Added Trim",
      "Moved Equalizer 2 \u2192 5",
      "Bypassed Stereo imager",
      "Limiter \u00b7 Ceiling \u22120.3 \u2192 \u22121.0 dBTP",
    ]);
    expect(diff.changes.map((x) => x.kind)).toEqual(["added", "moved", "bypass", "param"]);
    const back = await c.versions.diff({ fromVersionId: to.id, toVersionId: from.id });
    expect(back.lines[0]).toBe("Removed Trim");
    expect((await c.versions.diff({ fromVersionId: to.id, toVersionId: to.id })).lines).toEqual([]);
  });

  it.skipIf(skip)(
    "diff across projects: BAD_REQUEST when both are the caller's, NOT_FOUND when one is not",
    async () => {
      const [mine] = await f.as(f.student).versions.list({ projectId: f.projectId });
      const { id: otherProject } = await f.as(f.teacher).projects.create({ classId: f.classId, name: "Other" });
      const other = await f.as(f.teacher).versions.save({ projectId: otherProject, label: "Other's" });
      expect(await codeOf(f.as(f.student).versions.diff({ fromVersionId: mine!.id, toVersionId: other.id }))).toBe(
        "BAD_REQUEST",
      );
      const { id: classId, inviteCode } = await f.as(f.outsider).classes.create({ name: "Elsewhere" });
      void inviteCode;
      const { id: foreignProject } = await f.as(f.outsider).projects.create({ classId, name: "Theirs" });
      const foreign = await f.as(f.outsider).versions.save({ projectId: foreignProject, label: "Theirs" });
      expect(await codeOf(f.as(f.student).versions.diff({ fromVersionId: mine!.id, toVersionId: foreign.id }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(f.as(f.student).versions.get({ versionId: foreign.id }))).toBe("NOT_FOUND");
    },
  );

  it.skipIf(skip)("render a version: its chain's loudness target in the worker's payload, no new version", async () => {
    await edit((d) => setParam(d, "loudness", "targetLufs", -16));
    const v = await f.as(f.student).versions.save({ projectId: f.projectId, label: "For Apple" });
    const count = await s.db.version.count();
    const { jobId, versionId } = await f.as(f.student).renders.create({
      projectId: f.projectId,
      assetId: f.assetId,
      versionId: v.id,
      format: "wav24",
    });
    expect(versionId).toBe(v.id);
    expect(await s.db.version.count()).toBe(count);
    const job = await s.db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: "queued", format: "wav24", targetLufs: -16, versionId: v.id });
    expect(JSON.parse(job.payloadJson)).toEqual({
      versionId: v.id,
      assetId: f.assetId,
      format: "wav24",
      targetLufs: -16,
      options: { format: "wav24", targetLufs: -16 },
    });
  });

  it.skipIf(skip)(
    "render a version: refused for another project's version, a bypassed target, or mixed input",
    async () => {
      const c = f.as(f.student);
      const { id: otherProject } = await f.as(f.teacher).projects.create({ classId: f.classId, name: "Third" });
      const other = await f.as(f.teacher).versions.save({ projectId: otherProject, label: "Elsewhere" });
      const before = await s.db.renderJob.count();
      const render = (versionId: string) =>
        c.renders.create({ projectId: f.projectId, assetId: f.assetId, versionId, format: "flac" });
      expect(await codeOf(render(other.id))).toBe("NOT_FOUND");
      await expect(render(other.id)).rejects.toThrow("That version is not in this project.");
      await edit((d) => setBypass(d, "loudness", true));
      const untargeted = await c.versions.save({ projectId: f.projectId, label: "No target" });
      await expect(render(untargeted.id)).rejects.toThrow(/no active loudness target module/);
      await expect(
        c.renders.create({
          projectId: f.projectId,
          assetId: f.assetId,
          versionId: untargeted.id,
          preset: "cd",
          format: "flac",
        }),
      ).rejects.toThrow("Render either a version or a preset, not both.");
      await expect(c.renders.create({ projectId: f.projectId, assetId: f.assetId, format: "flac" })).rejects.toThrow(
        "Choose a version, or a preset and a loudness target.",
      );
      expect(await s.db.renderJob.count()).toBe(before);
      await edit((d) => setBypass(d, "loudness", false));
    },
  );

  it.skipIf(skip)("a listener reads, compares and lists, but cannot save or render", async () => {
    const c = f.as(f.listener);
    const [newest, older] = await c.versions.list({ projectId: f.projectId });
    expect(await codeOf(c.versions.get({ versionId: newest!.id }))).toBe("OK");
    expect(await codeOf(c.versions.diff({ fromVersionId: older!.id, toVersionId: newest!.id }))).toBe("OK");
    const versions = await s.db.version.count();
    await expect(c.versions.save({ projectId: f.projectId, label: "Mine" })).rejects.toThrow(/Listeners can/);
    expect(await codeOf(c.versions.save({ projectId: f.projectId, label: "Mine" }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        c.renders.create({ projectId: f.projectId, assetId: f.assetId, versionId: newest!.id, format: "mp3" }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(
        c.renders.create({ projectId: f.projectId, assetId: f.assetId, preset: "cd", targetLufs: -9, format: "mp3" }),
      ),
    ).toBe("FORBIDDEN");
    expect(await s.db.version.count()).toBe(versions);
  });

  it.skipIf(skip)("a non-member gets NOT_FOUND from every version procedure", async () => {
    const c = f.as(f.outsider);
    const [newest, older] = await f.as(f.student).versions.list({ projectId: f.projectId });
    const calls: Record<string, () => Promise<unknown>> = {
      list: () => c.versions.list({ projectId: f.projectId }),
      get: () => c.versions.get({ versionId: newest!.id }),
      save: () => c.versions.save({ projectId: f.projectId, label: "Intruder" }),
      diff: () => c.versions.diff({ fromVersionId: older!.id, toVersionId: newest!.id }),
      render: () =>
        c.renders.create({ projectId: f.projectId, assetId: f.assetId, versionId: newest!.id, format: "mp3" }),
    };
    for (const [name, call] of Object.entries(calls)) {
      expect(`${name}: ${await codeOf(call())}`).toBe(`${name}: NOT_FOUND`);
    }
    expect(await codeOf(c.versions.get({ versionId: "nope" }))).toBe("NOT_FOUND");
  });
});
