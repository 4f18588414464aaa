import type { Db } from "./client";

export function createProject(db: Db, classId: string, name: string) {
  return db.project.create({ data: { classId, name } });
}

/**
 * Deletes a project and, by cascade, its assets, chain document, versions, comments, render jobs,
 * exports and share links. Returns the storage keys the deleted rows pointed at that no remaining row
 * references (content-addressed files can be shared), so storage can remove exactly those files.
 */
export async function deleteProject(db: Db, projectId: string): Promise<{ orphanedStorageKeys: string[] }> {
  return db.$transaction(async (tx) => {
    const assets = await tx.asset.findMany({ where: { projectId }, select: { storageKey: true } });
    const exports = await tx.export.findMany({
      where: { job: { version: { projectId } } },
      select: { storageKey: true },
    });
    await tx.project.delete({ where: { id: projectId } });
    const keys = [...new Set([...assets, ...exports].map((r) => r.storageKey))];
    if (keys.length === 0) return { orphanedStorageKeys: [] };
    const [stillAssets, stillExports] = await Promise.all([
      tx.asset.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } }),
      tx.export.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } }),
    ]);
    const referenced = new Set([...stillAssets, ...stillExports].map((r) => r.storageKey));
    return { orphanedStorageKeys: keys.filter((k) => !referenced.has(k)).sort() };
  });
}
