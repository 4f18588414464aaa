// Streaming an export out of storage: to a signed-in member, or to anyone holding a live share link.
import { type BlobStore, type Db, findActiveShareLink } from "@comaster/db";
import { jsonError } from "../http";
import type { SessionUser } from "../trpc/init";

const EXTENSIONS: Record<string, { ext: string; type: string }> = {
  wav16: { ext: "wav", type: "audio/wav" },
  wav24: { ext: "wav", type: "audio/wav" },
  wav32f: { ext: "wav", type: "audio/wav" },
  flac: { ext: "flac", type: "audio/flac" },
  mp3: { ext: "mp3", type: "audio/mpeg" },
};

interface ExportRow {
  id: string;
  storageKey: string;
  byteSize: number;
  format: string;
}

function fileName(projectName: string, label: string, format: string): string {
  const base = `${projectName} - ${label}`
    .normalize("NFKD")
    .replace(/[^\w .()-]+/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return `${base || "master"}.${EXTENSIONS[format]?.ext ?? "bin"}`;
}

function stream(store: BlobStore, exp: ExportRow, name: string, inline: boolean): Response {
  const iterator = store.get(exp.storageKey)[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return new Response(body, {
    headers: {
      "content-type": EXTENSIONS[exp.format]?.type ?? "application/octet-stream",
      "content-length": String(exp.byteSize),
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

async function jobOf(db: Db, jobId: string) {
  const job = await db.renderJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { version: { include: { project: true } } },
  });
  return job;
}

/** GET /api/exports/:id/file — members of the export's class only; others get 404 (no existence leak). */
export async function downloadExport(
  db: Db,
  store: BlobStore,
  user: SessionUser | null,
  exportId: string,
  inline: boolean,
): Promise<Response> {
  if (!user) return jsonError(401, "UNAUTHORIZED", "Please sign in.");
  const exp = await db.export.findUnique({ where: { id: exportId } });
  if (!exp) return jsonError(404, "NOT_FOUND", "No such export.");
  const job = await jobOf(db, exp.jobId);
  const member = await db.membership.findUnique({
    where: { userId_classId: { userId: user.id, classId: job.version.project.classId } },
  });
  if (!member) return jsonError(404, "NOT_FOUND", "No such export.");
  return stream(store, exp, fileName(job.version.project.name, job.version.label, exp.format), inline);
}

/** GET /api/share/:token/file — anyone with a live link; 404 once revoked or expired. */
export async function downloadShared(db: Db, store: BlobStore, token: string, inline: boolean): Promise<Response> {
  const link = await findActiveShareLink(db, token);
  if (!link) return jsonError(404, "NOT_FOUND", "This link has expired or was turned off by its owner.");
  const job = await jobOf(db, link.export.jobId);
  return stream(store, link.export, fileName(job.version.project.name, job.version.label, link.export.format), inline);
}
