// tRPC's one setup: the request context, the error policy and the procedures every router builds on.
import type { Db } from "@comaster/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Services } from "../services";

export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

export interface Context {
  readonly services: Pick<Services, "db" | "store" | "queue" | "env" | "gains">;
  readonly user: SessionUser | null;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const production = ctx?.services.env.production ?? process.env.NODE_ENV === "production";
    const zod = error.cause instanceof ZodError ? error.cause : null;
    // Input validation: the first problem, in words, naming the field.
    if (zod) {
      const issue = zod.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      return {
        ...shape,
        message: `${where}${issue?.message ?? "invalid input"}`,
        data: { ...shape.data, stack: undefined },
      };
    }
    // Unexpected errors never show database messages or stacks in production.
    if (error.code === "INTERNAL_SERVER_ERROR" && production) {
      return {
        ...shape,
        message: "Something went wrong on our side. Please try again.",
        data: { ...shape.data, stack: undefined },
      };
    }
    return production ? { ...shape, data: { ...shape.data, stack: undefined } } : shape;
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export type Role = "teacher" | "student";

/** NOT_FOUND for anyone outside the class (no existence leak); FORBIDDEN for a member lacking the role. */
export async function requireMembership(db: Db, userId: string, classId: string, role?: Role) {
  const membership = await db.membership.findUnique({ where: { userId_classId: { userId, classId } } });
  if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "No such class." });
  if (role && membership.role !== role) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only the class's ${role} can do that.` });
  }
  return membership;
}

/** The project and the caller's membership of its class; NOT_FOUND for a non-member. */
export async function requireProject(db: Db, userId: string, projectId: string, role?: Role) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "No such project." });
  const membership = await db.membership.findUnique({
    where: { userId_classId: { userId, classId: project.classId } },
  });
  if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "No such project." });
  if (role && membership.role !== role) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only the class's ${role} can do that.` });
  }
  return { project, membership };
}

/** A mix of this project (after `requireProject`); NOT_FOUND for one of another project. */
export async function requireProjectAsset(db: Db, projectId: string, assetId: string) {
  const asset = await db.asset.findFirst({ where: { id: assetId, projectId } });
  if (!asset) throw new TRPCError({ code: "NOT_FOUND", message: "That mix is not in this project." });
  return asset;
}

/** Editing roles: everyone but a listener (a read-only guest who may read and comment). */
export function requireEditor(membership: { role: string }): void {
  if (membership.role === "listener") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Listeners can follow the desk and comment, but not save, restore or render versions.",
    });
  }
}

/** A version and the caller's membership of its project's class; NOT_FOUND for a non-member. */
export async function requireVersion(db: Db, userId: string, versionId: string) {
  const version = await db.version.findUnique({ where: { id: versionId }, include: { project: true } });
  const membership = version
    ? await db.membership.findUnique({ where: { userId_classId: { userId, classId: version.project.classId } } })
    : null;
  if (!version || !membership) throw new TRPCError({ code: "NOT_FOUND", message: "No such version." });
  return { version, membership };
}
