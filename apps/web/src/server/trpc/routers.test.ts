import { createUser, type DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadExport, downloadShared } from "../files/download";
import { codeOf, openTestServices, type TestServices, testProviders } from "../testing/testServices";
import type { SessionUser } from "./init";
import { appRouter, createCaller } from "./root";

const providers = await testProviders();

describe.each(providers)("routers on $provider", ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
  let s: TestServices;
  let teacher: SessionUser;
  let student: SessionUser;
  let outsider: SessionUser;
  let classId: string;
  let inviteCode: string;
  let projectId: string;
  let assetId: string;
  let exportId: string;
  let jobId: string;

  const as = (user: SessionUser | null) => createCaller({ services: s, user });

  async function user(name: string): Promise<SessionUser> {
    const u = await createUser(s.db, { username: name, displayName: name.toUpperCase(), passwordHash: "x" });
    return { id: u.id, username: u.username, displayName: u.displayName };
  }

  beforeAll(async () => {
    if (skip) return;
    s = await openTestServices(provider);
    teacher = await user("teacher1");
    student = await user("student1");
    outsider = await user("outsider1");
    ({ id: classId, inviteCode } = await as(teacher).classes.create({ name: "Year 11 Music" }));
    await as(student).classes.join({ code: inviteCode });
    ({ id: projectId } = await as(student).projects.create({ classId, name: "Song one" }));
    // A mix and a finished render with a stored export, as the upload route and the worker leave them.
    const blob = await s.store.put(new TextEncoder().encode("not really audio"));
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
        analysisJson: JSON.stringify({
          integratedLufs: -20.5,
          truePeakDbtp: -3,
          loudnessRangeLu: 4,
          correlation: 0.9,
          clippedSamples: 0,
        }),
        waveformJson: JSON.stringify({ bins: 2, min: [[-0.5, -0.25]], max: [[0.25, 0.75]] }),
      },
    });
    assetId = asset.id;
    ({ jobId } = await as(student).renders.create({
      projectId,
      assetId,
      preset: "streaming",
      targetLufs: -14,
      format: "mp3",
    }));
    const exp = await s.db.export.create({
      data: {
        jobId,
        storageKey: blob.key,
        contentHash: blob.sha256,
        byteSize: blob.size,
        format: "mp3",
        integratedLufs: -14.02,
        truePeakDbtp: -1.2,
      },
    });
    await s.db.renderJob.update({ where: { id: jobId }, data: { status: "done", progress: 1 } });
    exportId = exp.id;
  }, 120_000);

  afterAll(async () => {
    if (!skip) await s?.close();
  });

  it.skipIf(skip)("a teacher's class: invite code, members, projects", async () => {
    const view = await as(teacher).classes.get({ classId });
    expect(view.role).toBe("teacher");
    expect(view.inviteCode).toBe(inviteCode);
    expect(view.members.map((m) => [m.username, m.role])).toEqual(
      [
        ["student1", "student"],
        ["teacher1", "teacher"],
      ].sort((a, b) => (a[1] === "teacher" ? -1 : b[1] === "teacher" ? 1 : 0)),
    );
    expect(view.projects.map((p) => p.name)).toEqual(["Song one"]);
    // A student sees the class but not its invite code.
    expect((await as(student).classes.get({ classId })).inviteCode).toBeNull();
  });

  it.skipIf(skip)(
    "a student cannot rotate the invite code, remove members, create accounts or delete projects",
    async () => {
      const c = as(student);
      expect(await codeOf(c.classes.rotateInvite({ classId }))).toBe("FORBIDDEN");
      expect(await codeOf(c.classes.removeMember({ classId, userId: teacher.id }))).toBe("FORBIDDEN");
      expect(await codeOf(c.classes.bulkCreateStudents({ classId, names: ["Ann"] }))).toBe("FORBIDDEN");
      expect(await codeOf(c.projects.delete({ projectId }))).toBe("FORBIDDEN");
      // Nothing changed.
      const view = await as(teacher).classes.get({ classId });
      expect(view.inviteCode).toBe(inviteCode);
      expect(view.members).toHaveLength(2);
    },
  );

  it.skipIf(skip)("a non-member gets NOT_FOUND from every procedure of the class", async () => {
    const c = as(outsider);
    const link = await as(teacher).shares.create({ exportId, expiresInDays: null });
    const { id: versionId } = await as(student).versions.save({ projectId, label: "Draft" });
    const { id: commentId } = await as(student).comments.create({ versionId, atSeconds: 1, text: "Hi" });
    const calls: Record<string, () => Promise<unknown>> = {
      "classes.get": () => c.classes.get({ classId }),
      "classes.rotateInvite": () => c.classes.rotateInvite({ classId }),
      "classes.removeMember": () => c.classes.removeMember({ classId, userId: student.id }),
      "classes.bulkCreateStudents": () => c.classes.bulkCreateStudents({ classId, names: ["Bob"] }),
      "collab.session": () => c.collab.session({ projectId }),
      "projects.create": () => c.projects.create({ classId, name: "intruder" }),
      "projects.get": () => c.projects.get({ projectId }),
      "projects.renders": () => c.projects.renders({ projectId }),
      "projects.delete": () => c.projects.delete({ projectId }),
      "renders.create": () =>
        c.renders.create({ projectId, assetId, preset: "streaming", targetLufs: -14, format: "wav16" }),
      "shares.create": () => c.shares.create({ exportId, expiresInDays: 7 }),
      "renders.create (version)": () => c.renders.create({ projectId, assetId, versionId, format: "wav16" }),
      "shares.revoke": () => c.shares.revoke({ shareLinkId: link.id }),
      "versions.list": () => c.versions.list({ projectId }),
      "versions.get": () => c.versions.get({ versionId }),
      "versions.save": () => c.versions.save({ projectId, label: "intruder" }),
      "versions.diff": () => c.versions.diff({ fromVersionId: versionId, toVersionId: versionId }),
      "comments.list": () => c.comments.list({ versionId }),
      "comments.create": () => c.comments.create({ versionId, atSeconds: 0, text: "intruder" }),
      "comments.reply": () => c.comments.reply({ commentId, text: "intruder" }),
      "comments.setResolved": () => c.comments.setResolved({ commentId, resolved: true }),
      "preview.loudnessGain": () => c.preview.loudnessGain({ projectId, assetId }),
      "preview.loudnessGain (version)": () => c.preview.loudnessGain({ projectId, assetId, versionId }),
    };
    // Every procedure that takes something of a class is listed (a new one cannot be forgotten).
    const notOfAClass = ["classes.mine", "classes.create", "classes.join", "shares.view"];
    const all = Object.keys(appRouter._def.procedures).sort();
    const procedures = Object.keys(calls).map((name) => name.replace(/ \(.*\)$/, ""));
    expect([...new Set([...procedures, ...notOfAClass])].sort()).toEqual(all);
    for (const [name, call] of Object.entries(calls)) {
      expect(`${name}: ${await codeOf(call())}`).toBe(`${name}: NOT_FOUND`);
    }
    // The same for unknown ids: indistinguishable from "exists but not yours".
    expect(await codeOf(c.projects.get({ projectId: "nope" }))).toBe("NOT_FOUND");
    expect(await codeOf(c.classes.get({ classId: "nope" }))).toBe("NOT_FOUND");
    // And the download route answers 404 as for an export that does not exist.
    expect((await downloadExport(s.db, s.store, outsider, exportId, false)).status).toBe(404);
    expect((await downloadExport(s.db, s.store, outsider, "nope", false)).status).toBe(404);
    // The link still works (the revoke above was refused).
    expect((await as(null).shares.view({ token: link.token })).projectName).toBe("Song one");
  });

  it.skipIf(skip)("signed-out callers are refused", async () => {
    expect(await codeOf(as(null).classes.mine())).toBe("UNAUTHORIZED");
    expect(await codeOf(as(null).projects.get({ projectId }))).toBe("UNAUTHORIZED");
    expect((await downloadExport(s.db, s.store, null, exportId, false)).status).toBe(401);
  });

  it.skipIf(skip)("join: a wrong code, a second join, a rotated code", async () => {
    const newcomer = await user("newcomer1");
    expect(await codeOf(as(newcomer).classes.join({ code: "not-a-code" }))).toBe("NOT_FOUND");
    expect(await codeOf(as(student).classes.join({ code: inviteCode }))).toBe("CONFLICT");
    const { inviteCode: rotated } = await as(teacher).classes.rotateInvite({ classId });
    expect(rotated).not.toBe(inviteCode);
    expect(await codeOf(as(newcomer).classes.join({ code: inviteCode }))).toBe("NOT_FOUND");
    expect(await as(newcomer).classes.join({ code: rotated })).toEqual({ classId });
    inviteCode = rotated;
    // The teacher removes them again.
    await as(teacher).classes.removeMember({ classId, userId: newcomer.id });
    expect(await codeOf(as(newcomer).classes.get({ classId }))).toBe("NOT_FOUND");
    expect(await codeOf(as(teacher).classes.removeMember({ classId, userId: teacher.id }))).toBe("BAD_REQUEST");
  });

  it.skipIf(skip)("bulk student accounts: unique usernames, working first passwords, joined as students", async () => {
    const { verifyPassword, credentialHash } = await import("@comaster/db");
    const { students } = await as(teacher).classes.bulkCreateStudents({
      classId,
      names: ["Zoë O'Brien", "Zoë O'Brien", "Li"],
    });
    expect(students.map((x) => x.username)).toEqual(["zoe.obrien", "zoe.obrien2", "student.li"]);
    for (const x of students) {
      const u = await s.db.user.findUniqueOrThrow({ where: { username: x.username } });
      expect(await verifyPassword(x.password, (await credentialHash(s.db, u.id)) ?? "")).toBe(true);
      expect(x.password).toMatch(/^[a-z]+-[a-z]+-[a-z]+-\d{3}$/);
    }
    const view = await as(teacher).classes.get({ classId });
    expect(view.members.filter((m) => m.role === "student").map((m) => m.username)).toEqual(
      expect.arrayContaining(["zoe.obrien", "zoe.obrien2", "student.li"]),
    );
  });

  it.skipIf(skip)("a render request snapshots a version and queues a job with the worker's payload", async () => {
    const { jobId: id, versionId } = await as(student).renders.create({
      projectId,
      assetId,
      preset: "apple",
      targetLufs: -16,
      format: "flac",
    });
    const job = await s.db.renderJob.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "queued", format: "flac", targetLufs: -16, versionId, assetId });
    expect(JSON.parse(job.payloadJson)).toEqual({
      versionId,
      assetId,
      format: "flac",
      targetLufs: -16,
      options: { format: "flac", targetLufs: -16 },
    });
    const version = await s.db.version.findUniqueOrThrow({ where: { id: versionId } });
    const chain = JSON.parse(version.chainJson) as { modules: { type: string; params: Record<string, number> }[] };
    expect(chain.modules.find((m) => m.type === "loudness")?.params.targetLufs).toBe(-16);
    expect(version.label).toBe("Apple Music · −16.0 LUFS");
    // Bad input: clear messages, nothing queued.
    const before = await s.db.renderJob.count();
    await expect(
      as(student).renders.create({ projectId, assetId, preset: "apple", targetLufs: -40, format: "flac" }),
    ).rejects.toThrow(/−30 and −5 LUFS/);
    expect(
      await codeOf(
        as(student).renders.create({ projectId, assetId: "nope", preset: "apple", targetLufs: -16, format: "flac" }),
      ),
    ).toBe("NOT_FOUND");
    expect(await s.db.renderJob.count()).toBe(before);
    // The project view shows the mix's figures and the renders.
    const view = await as(student).projects.get({ projectId });
    expect(view.assets[0]?.figures).toMatchObject({ integratedLufs: -20.5, truePeakDbtp: -3, plrDb: 17.5 });
    expect(view.assets[0]?.waveform).toEqual([0.5, 0.75]);
    expect(view.renders.map((r) => r.status)).toEqual(["queued", "done"]);
  });

  it.skipIf(skip)("share links: public view and file, then revoked; an expired link is dead", async () => {
    const link = await as(student).shares.create({ exportId, expiresInDays: 7 });
    expect(link.url).toBe(`${s.env.baseUrl}/s/${link.token}`);
    expect(link.token.length).toBeGreaterThanOrEqual(32);
    const view = await as(null).shares.view({ token: link.token });
    expect(view).toMatchObject({ projectName: "Song one", format: "mp3", integratedLufs: -14.02, targetLufs: -14 });
    const file = await downloadShared(s.db, s.store, link.token, false);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("not really audio");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="Song one - Streaming/);

    await as(teacher).shares.revoke({ shareLinkId: link.id });
    expect(await codeOf(as(null).shares.view({ token: link.token }))).toBe("NOT_FOUND");
    expect((await downloadShared(s.db, s.store, link.token, false)).status).toBe(404);

    const expiring = await as(student).shares.create({ exportId, expiresInDays: 1 });
    expect(await codeOf(as(null).shares.view({ token: expiring.token }))).toBe("OK");
    await s.db.shareLink.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await codeOf(as(null).shares.view({ token: expiring.token }))).toBe("NOT_FOUND");
    expect((await downloadShared(s.db, s.store, expiring.token, false)).status).toBe(404);
    expect(await codeOf(as(null).shares.view({ token: "made-up-token" }))).toBe("NOT_FOUND");
  });

  it.skipIf(skip)("deleting a project is the teacher's, and removes its rows", async () => {
    const { id } = await as(student).projects.create({ classId, name: "Scratch" });
    await as(teacher).projects.delete({ projectId: id });
    expect(await codeOf(as(teacher).projects.get({ projectId: id }))).toBe("NOT_FOUND");
  });
});
