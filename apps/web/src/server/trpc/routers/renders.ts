import { PRESET_NAMES, PRESETS, type PresetName, presetChain } from "@comaster/chain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { formatLufs } from "../../../loudnessTargets";
import { authedProcedure, requireProject, router } from "../init";

/** The formats a class can export from the web app (the CLI has wav32f too). */
export const WEB_EXPORT_FORMATS = ["wav16", "wav24", "flac", "mp3"] as const;

export const rendersRouter = router({
  /**
   * Queues a render of a mix with a preset and a loudness target. The chain is snapshotted as a new
   * version (what was rendered stays known even when the preset changes later); the worker picks the
   * job up and reports progress.
   */
  create: authedProcedure
    .input(
      z.object({
        projectId: z.string().min(1).max(64),
        assetId: z.string().min(1).max(64),
        preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]),
        targetLufs: z
          .number()
          .min(-30, "The loudness target must be between −30 and −5 LUFS.")
          .max(-5, "The loudness target must be between −30 and −5 LUFS."),
        format: z.enum(WEB_EXPORT_FORMATS),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db, queue } = ctx.services;
      await requireProject(db, ctx.user.id, input.projectId);
      const asset = await db.asset.findFirst({ where: { id: input.assetId, projectId: input.projectId } });
      if (!asset) throw new TRPCError({ code: "NOT_FOUND", message: "That mix is not in this project." });
      const chain = presetChain(input.preset, { targetLufs: input.targetLufs });
      const parent = await db.version.findFirst({
        where: { projectId: input.projectId },
        orderBy: { createdAt: "desc" },
      });
      const version = await db.version.create({
        data: {
          projectId: input.projectId,
          chainJson: JSON.stringify(chain),
          label: `${PRESETS[input.preset].label} · ${formatLufs(input.targetLufs)}`,
          authorId: ctx.user.id,
          parentId: parent?.id ?? null,
        },
      });
      const job = await queue.enqueue({
        payload: {
          versionId: version.id,
          assetId: asset.id,
          format: input.format,
          targetLufs: input.targetLufs,
          options: { format: input.format, targetLufs: input.targetLufs },
        },
      });
      return { jobId: job.id, versionId: version.id };
    }),
});
