import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { GainQueueFull } from "../../preview/gainMeasurer";
import { liveChain } from "../../versions/liveChain";
import { authedProcedure, requireProject, requireProjectAsset, router } from "../init";
import { chainError, projectVersionChain } from "./versions";

const id = z.string().min(1).max(64);

export const previewRouter = router({
  /**
   * The loudness gain the export applies for the project's live chain (or a saved version's) on one
   * of its mixes, measured on the server by the export's own passes: "ready" with the figures, else
   * "measuring" (ask again) or "failed" (the preview keeps its estimate). `sound` is the chain's
   * `soundSignature`: the preview uses the figures as exact only while its chain has that signature.
   * Every member may ask, listeners included (they hear the preview too).
   */
  loudnessGain: authedProcedure
    .input(z.object({ projectId: id, assetId: id, versionId: id.optional() }))
    .query(async ({ ctx, input }) => {
      const { db, store, gains } = ctx.services;
      await requireProject(db, ctx.user.id, input.projectId);
      const asset = await requireProjectAsset(db, input.projectId, input.assetId);
      const chain =
        input.versionId === undefined
          ? await liveChain(db, input.projectId).catch(chainError)
          : (await projectVersionChain(db, input.projectId, input.versionId)).chain;
      const path = store.localPath?.(asset.storageKey);
      if (path === undefined) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "This server's storage cannot be measured from." });
      }
      try {
        const s = await gains.status({
          lane: `${input.projectId}:${input.assetId}:${input.versionId ?? "live"}`,
          assetId: asset.id,
          path,
          chain,
        });
        if (s.status !== "ready") return { ...s, gainDb: null, targetLufs: null, integratedLufs: null };
        const { gainDb, targetLufs, integratedLufs } = s.gain;
        return { status: s.status, sound: s.sound, gainDb, targetLufs, integratedLufs };
      } catch (err) {
        if (err instanceof GainQueueFull) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message });
        throw err;
      }
    }),
});
