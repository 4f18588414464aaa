"use client";
// Asks the server for the export's loudness gain of a preview path's chain on the mix
// (`preview.loudnessGain`) and hands it to the engine (`setMeasuredLoudness`). The live chain is asked
// for once edits pause (DEBOUNCE_MS), then polled while the server measures; a saved version once.
import { useEffect } from "react";
import { useTRPCClient } from "../client/trpc";
import type { AbSide } from "./abMix";
import type { PreviewEngine } from "./previewEngine";

/** Edits within this long of each other are one change: one measurement. */
const DEBOUNCE_MS = 700;
/** Between two questions while the server measures. */
const POLL_MS = 1000;
/** After a network error or a busy server. */
const RETRY_MS = 5000;
/** Questions about one chain before giving up (the estimate stays). */
const MAX_ASKS = 300;

export interface MeasuredLoudnessTarget {
  readonly projectId: string;
  readonly assetId: string;
  /** The saved version (side B); none for the live chain. */
  readonly versionId?: string;
}

/**
 * Keeps `engine`'s figures for `side` measured. `trigger` changes when the path's chain changes (the
 * live chain's `soundSignature`; B's version id): each change asks again. `onFailure` receives the
 * server's sentence when it cannot measure (the preview keeps its estimate).
 */
export function useMeasuredLoudness(
  engine: PreviewEngine | null,
  side: AbSide,
  target: MeasuredLoudnessTarget | null,
  trigger: string | null,
  onFailure?: (message: string) => void,
): void {
  const client = useTRPCClient();
  const projectId = target?.projectId;
  const assetId = target?.assetId;
  const versionId = target?.versionId;
  useEffect(() => {
    if (!engine || !projectId || !assetId || trigger === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asks = 0;
    const ask = async () => {
      if (stopped || ++asks > MAX_ASKS) return;
      let next = POLL_MS;
      try {
        const r = await client.preview.loudnessGain.query({ projectId, assetId, versionId });
        if (stopped) return;
        if (r.status === "ready") {
          engine.setMeasuredLoudness(side, r);
          // The server measured what it stored, which can trail this page's chain by an edit in flight.
          if (side === "B" || r.sound === trigger) return;
        } else if (r.status === "failed") {
          onFailure?.(r.message);
          return;
        }
      } catch {
        next = RETRY_MS; // offline, busy or signed out: the estimate stays meanwhile
      }
      if (!stopped) timer = setTimeout(ask, next);
    };
    timer = setTimeout(ask, side === "A" ? DEBOUNCE_MS : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [engine, client, side, projectId, assetId, versionId, trigger, onFailure]);
}
