import type { DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presenceColor } from "../../../collab/presence";
import { type ProjectFixture, projectFixture } from "../../testing/projectFixture";
import { codeOf, openTestServices, type TestServices, testProviders } from "../../testing/testServices";

const providers = await testProviders();

describe.each(providers)("comments on $provider", ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
  let s: TestServices;
  let f: ProjectFixture;
  let versionId: string;

  beforeAll(async () => {
    if (skip) return;
    s = await openTestServices(provider);
    f = await projectFixture(s, "c-");
    ({ id: versionId } = await f.as(f.student).versions.save({ projectId: f.projectId, label: "Draft" }));
  }, 120_000);

  afterAll(async () => {
    if (!skip) await s?.close();
  });

  it.skipIf(skip)("threads sorted by time, replies nested, authors with their presence colour", async () => {
    const st = f.as(f.student);
    const late = await st.comments.create({
      versionId,
      atSeconds: 83,
      endSeconds: 90,
      text: "  Harsh here  ",
      moduleId: "limiter",
    });
    const early = await f.as(f.listener).comments.create({ versionId, atSeconds: 12.5, text: "Lovely intro" });
    await f.as(f.teacher).comments.reply({ commentId: late.id, text: "Try a lower ceiling" });
    await st.comments.reply({ commentId: late.id, text: "Will do" });
    const threads = await st.comments.list({ versionId });
    expect(threads.map((t) => [t.id, t.atSeconds, t.endSeconds, t.text, t.moduleLabel])).toEqual([
      [early.id, 12.5, null, "Lovely intro", null],
      [late.id, 83, 90, "Harsh here", "Limiter"],
    ]);
    expect(threads[1]!.author).toEqual({ id: f.student.id, name: "Student", color: presenceColor(f.student.id) });
    expect(threads[1]!.replies.map((r) => [r.author.name, r.text, r.atSeconds])).toEqual([
      ["Teacher", "Try a lower ceiling", 83],
      ["Student", "Will do", 83],
    ]);
    expect(threads[0]!.replies).toEqual([]);
    // Only the author (or the teacher) may resolve: the student may resolve their own thread only.
    expect(threads.map((t) => t.canResolve)).toEqual([false, true]);
  });

  it.skipIf(skip)("create: clear messages for bad text, times and modules; nothing stored", async () => {
    const c = f.as(f.student);
    const before = await s.db.comment.count();
    const create = (input: Partial<Parameters<typeof c.comments.create>[0]>) =>
      c.comments.create({ versionId, atSeconds: 10, text: "ok", ...input });
    await expect(create({ text: "   " })).rejects.toThrow("Write something first.");
    await expect(create({ text: "x".repeat(2001) })).rejects.toThrow("Keep a comment to 2000 characters or fewer.");
    await expect(create({ atSeconds: -1 })).rejects.toThrow("A time cannot be before the start of the mix.");
    await expect(create({ atSeconds: 10, endSeconds: 10 })).rejects.toThrow(
      "The end of the range must come after its start.",
    );
    await expect(create({ moduleId: "no-such-module" })).rejects.toThrow(
      'The chain of version "Draft" has no module "no-such-module"',
    );
    expect(await codeOf(create({ moduleId: "no-such-module" }))).toBe("BAD_REQUEST");
    expect(await codeOf(create({ endSeconds: 5 }))).toBe("BAD_REQUEST");
    expect(await s.db.comment.count()).toBe(before);
    expect(await codeOf(create({ text: "x".repeat(2000), moduleId: "eq", endSeconds: 10.5 }))).toBe("OK");
  });

  it.skipIf(skip)("reply: only to a thread's first comment", async () => {
    const c = f.as(f.student);
    const { id } = await c.comments.create({ versionId, atSeconds: 1, text: "Thread" });
    const reply = await c.comments.reply({ commentId: id, text: "Reply" });
    await expect(c.comments.reply({ commentId: reply.id, text: "Deeper" })).rejects.toThrow(
      "Reply to the thread's first comment",
    );
    await expect(c.comments.reply({ commentId: id, text: " " })).rejects.toThrow("Write something first.");
    expect(await codeOf(c.comments.reply({ commentId: "nope", text: "Hi" }))).toBe("NOT_FOUND");
  });

  it.skipIf(skip)("resolve and reopen: the author or the teacher, nobody else", async () => {
    const { id } = await f.as(f.listener).comments.create({ versionId, atSeconds: 40, text: "Too much reverb?" });
    const resolvedOf = async () =>
      (await f.as(f.teacher).comments.list({ versionId })).find((t) => t.id === id)!.resolved;
    expect(await codeOf(f.as(f.student).comments.setResolved({ commentId: id, resolved: true }))).toBe("FORBIDDEN");
    expect(await resolvedOf()).toBe(false);
    await f.as(f.listener).comments.setResolved({ commentId: id, resolved: true });
    expect(await resolvedOf()).toBe(true);
    await f.as(f.teacher).comments.setResolved({ commentId: id, resolved: false });
    expect(await resolvedOf()).toBe(false);
    const threads = await f.as(f.teacher).comments.list({ versionId });
    expect(threads.every((t) => t.canResolve)).toBe(true);
  });

  it.skipIf(skip)("a non-member gets NOT_FOUND from every comment procedure", async () => {
    const c = f.as(f.outsider);
    const { id } = await f.as(f.student).comments.create({ versionId, atSeconds: 2, text: "Mine" });
    const calls: Record<string, () => Promise<unknown>> = {
      list: () => c.comments.list({ versionId }),
      create: () => c.comments.create({ versionId, atSeconds: 0, text: "Intruder" }),
      reply: () => c.comments.reply({ commentId: id, text: "Intruder" }),
      setResolved: () => c.comments.setResolved({ commentId: id, resolved: true }),
    };
    for (const [name, call] of Object.entries(calls)) {
      expect(`${name}: ${await codeOf(call())}`).toBe(`${name}: NOT_FOUND`);
    }
    expect(await codeOf(c.comments.list({ versionId: "nope" }))).toBe("NOT_FOUND");
    expect((await s.db.comment.findUniqueOrThrow({ where: { id } })).resolved).toBe(false);
  });
});
