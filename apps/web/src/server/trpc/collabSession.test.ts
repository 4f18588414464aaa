/** `collab.session`: the token the desk connects with, signed for the caller and their role. */
import { createUser, type DbProvider } from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCollabToken } from "../../collab/collabToken";
import { presenceColor } from "../../collab/presence";
import { openTestServices, type TestServices, testProviders } from "../testing/testServices";
import type { SessionUser } from "./init";
import { createCaller } from "./root";
import { COLLAB_TOKEN_TTL_SECONDS } from "./routers/collab";

const providers = await testProviders();

describe.each(providers)(
  "collab.session on $provider",
  ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
    let s: TestServices;
    let teacher: SessionUser;
    let guest: SessionUser;
    let outsider: SessionUser;
    let projectId: string;
    const as = (user: SessionUser | null) => createCaller({ services: s, user });
    const user = async (name: string): Promise<SessionUser> => {
      const u = await createUser(s.db, { username: name, displayName: `${name} name`, passwordHash: "x" });
      return { id: u.id, username: u.username, displayName: u.displayName };
    };

    beforeAll(async () => {
      if (skip) return;
      s = await openTestServices(provider);
      teacher = await user("teacher");
      guest = await user("guest");
      outsider = await user("outsider");
      const { id: classId } = await as(teacher).classes.create({ name: "Class" });
      await s.db.membership.create({ data: { userId: guest.id, classId, role: "listener" } });
      ({ id: projectId } = await as(teacher).projects.create({ classId, name: "Song" }));
    });

    afterAll(async () => {
      await s?.close();
    });

    it.skipIf(skip)(
      "signs a short-lived token with the account's name and colour, editor for the teacher",
      async () => {
        const before = Date.now();
        const session = await as(teacher).collab.session({ projectId });
        expect(session).toMatchObject({ role: "editor", port: 3001, url: null });
        expect(verifyCollabToken(session.token, "another-secret-0123456789").ok).toBe(false);
        const verified = verifyCollabToken(session.token, s.env.collabSecret);
        if (!verified.ok) throw new Error(verified.reason);
        expect(verified.claims).toMatchObject({
          userId: teacher.id,
          projectId,
          role: "editor",
          name: "teacher name",
          color: presenceColor(teacher.id),
        });
        expect(verified.claims.exp * 1000).toBeGreaterThanOrEqual(before + (COLLAB_TOKEN_TTL_SECONDS - 1) * 1000);
        expect(
          verifyCollabToken(session.token, s.env.collabSecret, before + (COLLAB_TOKEN_TTL_SECONDS + 1) * 1000),
        ).toEqual({
          ok: false,
          reason: "EXPIRED",
        });
      },
    );

    it.skipIf(skip)("gives a listener a viewer token, and an outsider nothing", async () => {
      const session = await as(guest).collab.session({ projectId });
      expect(session.role).toBe("viewer");
      const verified = verifyCollabToken(session.token, s.env.collabSecret);
      expect(verified.ok && verified.claims.role).toBe("viewer");
      const refused = await as(outsider)
        .collab.session({ projectId })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TRPCError);
      expect((refused as TRPCError).code).toBe("NOT_FOUND");
    });
  },
);
