import {
  createClass,
  createUser,
  DbError,
  hashPassword,
  isUniqueViolation,
  joinClass,
  newInviteCode,
} from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, requireMembership, router } from "../init";
import { firstPassword, usernameCandidates } from "./studentAccounts";

const classId = z.object({ classId: z.string().min(1).max(64) });
const className = z.string().trim().min(1, "Give the class a name.").max(80, "Keep the name under 80 characters.");

export const classesRouter = router({
  /** The caller's classes, newest first. */
  mine: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.db.membership.findMany({
      where: { userId: ctx.user.id },
      include: { class: { include: { _count: { select: { memberships: true, projects: true } } } } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map((m) => ({
      id: m.class.id,
      name: m.class.name,
      role: m.role as "teacher" | "student",
      members: m.class._count.memberships,
      projects: m.class._count.projects,
    }));
  }),

  create: authedProcedure.input(z.object({ name: className })).mutation(async ({ ctx, input }) => {
    const cls = await createClass(ctx.services.db, input.name, ctx.user.id);
    return { id: cls.id, inviteCode: cls.inviteCode };
  }),

  get: authedProcedure.input(classId).query(async ({ ctx, input }) => {
    const me = await requireMembership(ctx.services.db, ctx.user.id, input.classId);
    const cls = await ctx.services.db.class.findUniqueOrThrow({
      where: { id: input.classId },
      include: {
        memberships: { include: { user: true }, orderBy: [{ role: "desc" }, { createdAt: "asc" }] },
        projects: { orderBy: { createdAt: "desc" }, include: { _count: { select: { assets: true } } } },
      },
    });
    const teacher = me.role === "teacher";
    return {
      id: cls.id,
      name: cls.name,
      role: me.role as "teacher" | "student",
      inviteCode: teacher ? cls.inviteCode : null,
      members: cls.memberships.map((m) => ({
        userId: m.userId,
        username: m.user.username,
        displayName: m.user.displayName,
        role: m.role as "teacher" | "student",
        isMe: m.userId === ctx.user.id,
      })),
      projects: cls.projects.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, assets: p._count.assets })),
    };
  }),

  rotateInvite: authedProcedure.input(classId).mutation(async ({ ctx, input }) => {
    await requireMembership(ctx.services.db, ctx.user.id, input.classId, "teacher");
    const cls = await ctx.services.db.class.update({
      where: { id: input.classId },
      data: { inviteCode: newInviteCode() },
    });
    return { inviteCode: cls.inviteCode };
  }),

  join: authedProcedure
    .input(z.object({ code: z.string().trim().min(1, "Enter the invite code.").max(64) }))
    .mutation(async ({ ctx, input }) => {
      try {
        const m = await joinClass(ctx.services.db, input.code, ctx.user.id, "student");
        return { classId: m.classId };
      } catch (e) {
        if (e instanceof DbError && e.code === "NOT_FOUND") {
          throw new TRPCError({
            code: "NOT_FOUND",
            message: "No class has that invite code. Check it with your teacher.",
          });
        }
        if (e instanceof DbError && e.code === "ALREADY_MEMBER") {
          throw new TRPCError({ code: "CONFLICT", message: e.message });
        }
        throw e;
      }
    }),

  removeMember: authedProcedure
    .input(classId.extend({ userId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      await requireMembership(ctx.services.db, ctx.user.id, input.classId, "teacher");
      if (input.userId === ctx.user.id) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot remove yourself from your own class." });
      }
      const removed = await ctx.services.db.membership.deleteMany({
        where: { classId: input.classId, userId: input.userId },
      });
      if (removed.count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "That person is not in this class." });
      return { removed: true };
    }),

  /**
   * Student accounts for a list of names: a username from each name (made unique) and a first
   * password, joined to the class. Returns the sheet to print; the passwords are not kept in clear.
   */
  bulkCreateStudents: authedProcedure
    .input(
      classId.extend({
        names: z
          .array(z.string().trim().min(1).max(80))
          .min(1, "Paste at least one name.")
          .max(100, "At most 100 names at a time."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      await requireMembership(db, ctx.user.id, input.classId, "teacher");
      const sheet: { name: string; username: string; password: string }[] = [];
      for (const name of input.names) {
        const password = firstPassword();
        const passwordHash = await hashPassword(password);
        let created: { id: string; username: string } | null = null;
        for (const candidate of usernameCandidates(name)) {
          try {
            created = await createUser(db, { username: candidate, displayName: name, passwordHash });
            break;
          } catch (e) {
            if (!isUniqueViolation(e)) throw e;
          }
        }
        if (!created) throw new TRPCError({ code: "CONFLICT", message: `No free username for "${name}".` });
        await db.membership.create({ data: { userId: created.id, classId: input.classId, role: "student" } });
        sheet.push({ name, username: created.username, password });
      }
      return { students: sheet };
    }),
});
