import { loudnessTargetOf, PRESET_NAMES, PRESETS, type PresetName, presetChain } from "@comaster/chain";
import type { Db } from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { formatLufs } from "../../../loudnessTargets";
import { authedProcedure, requireEditor, requireProject, requireProjectAsset, router } from "../init";
import { projectVersionChain } from "./versions";

/** The formats a class can export from the web app (the CLI has wav32f too). */
export const WEB_EXPORT_FORMATS = ["wav16", "wav24", "flac", "mp3"] as const;

const LUFS_RANGE = "The loudness target must be between −30 and −5 LUFS.";

export const rendersRouter = router({
  /**
   * Queues a render of a mix, either of a saved version (`versionId`: its chain and its loudness
   * target as they were saved) or of a preset with a loudness target (`preset` + `targetLufs`: the
   * chain is snapshotted as a new version, so what was rendered stays known even when the preset
   * changes later). The worker picks the job up and reports progress. Listeners cannot render.
   */
  create: authedProcedure
    .input(
      z
        .object({
          projectId: z.string().min(1).max(64),
          assetId: z.string().min(1).max(64),
          versionId: z.string().min(1).max(64).optional(),
          preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]).optional(),
          targetLufs: z.number().min(-30, LUFS_RANGE).max(-5, LUFS_RANGE).optional(),
          format: z.enum(WEB_EXPORT_FORMATS),
        })
        .superRefine((v, ctx) => {
          const presetPath = v.preset !== undefined || v.targetLufs !== undefined;
          if (v.versionId !== undefined && presetPath) {
            ctx.addIssue({ code: "custom", message: "Render either a version or a preset, not both." });
          } else if (v.versionId === undefined && (v.preset === undefined || v.targetLufs === undefined)) {
            ctx.addIssue({ code: "custom", message: "Choose a version, or a preset and a loudness target." });
          }
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db, queue } = ctx.services;
      const { membership } = await requireProject(db, ctx.user.id, input.projectId);
      requireEditor(membership);
      const asset = await requireProjectAsset(db, input.projectId, input.assetId);
      const version =
        input.versionId !== undefined
          ? await chosenVersion(db, input.projectId, input.versionId)
          : await presetVersion(db, ctx.user.id, input.projectId, input.preset!, input.targetLufs!);
      const job = await queue.enqueue({
        payload: {
          versionId: version.id,
          assetId: asset.id,
          format: input.format,
          targetLufs: version.targetLufs,
          options: { format: input.format, targetLufs: version.targetLufs },
        },
      });
      return { jobId: job.id, versionId: version.id };
    }),
});

/** A saved version of this project (NOT_FOUND for one of another project) and its loudness target. */
async function chosenVersion(db: Db, projectId: string, versionId: string) {
  const { version, chain } = await projectVersionChain(db, projectId, versionId);
  const targetLufs = loudnessTargetOf(chain);
  if (targetLufs === null) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Version "${version.label}" has no active loudness target module; add one (or switch it on) and save a new version to render it.`,
    });
  }
  return { id: version.id, targetLufs };
}

/** A new version holding `preset` at `targetLufs`, parented on the newest version. */
async function presetVersion(db: Db, authorId: string, projectId: string, preset: PresetName, targetLufs: number) {
  const chain = presetChain(preset, { targetLufs });
  const parent = await db.version.findFirst({
    where: { projectId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const version = await db.version.create({
    data: {
      projectId,
      chainJson: JSON.stringify(chain),
      label: `${PRESETS[preset].label} · ${formatLufs(targetLufs)}`,
      authorId,
      parentId: parent?.id ?? null,
    },
  });
  return { id: version.id, targetLufs };
}
