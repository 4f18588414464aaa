// A class with a teacher, a student and a listener, an outsider, and one project with one mix — the
// cast of the version and comment router tests.
import { createUser, joinClass } from "@comaster/db";
import type { SessionUser } from "../trpc/init";
import { createCaller } from "../trpc/root";
import type { TestServices } from "./testServices";

export interface ProjectFixture {
  readonly teacher: SessionUser;
  readonly student: SessionUser;
  readonly listener: SessionUser;
  readonly outsider: SessionUser;
  readonly classId: string;
  readonly projectId: string;
  readonly assetId: string;
  /** A tRPC caller signed in as `user` (signed out for `null`). */
  as(user: SessionUser | null): ReturnType<typeof createCaller>;
}

export async function projectFixture(s: TestServices, prefix: string): Promise<ProjectFixture> {
  const as = (user: SessionUser | null) => createCaller({ services: s, user });
  const user = async (name: string): Promise<SessionUser> => {
    const username = `${prefix}${name}`;
    const u = await createUser(s.db, {
      username,
      displayName: `${name[0]!.toUpperCase()}${name.slice(1)}`,
      passwordHash: "x",
    });
    return { id: u.id, username: u.username, displayName: u.displayName };
  };
  const [teacher, student, listener, outsider] = [
    await user("teacher"),
    await user("student"),
    await user("listener"),
    await user("outsider"),
  ];
  const { id: classId, inviteCode } = await as(teacher).classes.create({ name: "Year 12 Music" });
  await as(student).classes.join({ code: inviteCode });
  await joinClass(s.db, inviteCode, listener.id, "listener");
  const { id: projectId } = await as(student).projects.create({ classId, name: "Song" });
  const asset = await s.db.asset.create({
    data: {
      projectId,
      contentHash: "0".repeat(64),
      format: "wav",
      durationSeconds: 180,
      sampleRate: 44100,
      channels: 2,
      storageKey: "none",
      byteSize: 1,
    },
  });
  return { teacher, student, listener, outsider, classId, projectId, assetId: asset.id, as };
}
