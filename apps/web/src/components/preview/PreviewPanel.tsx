"use client";
/**
 * The real-time preview under the desk: play the first mix through the shared chain as it is being
 * edited. Transport (play/pause, space bar, time), the mix's overview (click to seek, drag to mark a
 * loop region), loop, the loudness-matched bypass and A/B against a saved version (B key). Meters
 * go in the `meters` slot: it receives the engine's output node and context once the engine runs
 * (the monitor worklet connects there). The engine itself comes from the page (`usePreviewEngine`),
 * which also hands its gain reduction readings to the desk.
 */
import { type Chain, soundSignature } from "@comaster/chain";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { PreviewEngine } from "../../preview/previewEngine";
import { useMeasuredLoudness } from "../../preview/useMeasuredLoudness";
import { type PreviewHandle, usePreviewSnapshot } from "../../preview/usePreviewEngine";
import { formatTime } from "../format";
import { Button, Card, EmptyState, ErrorMessage } from "../ui";
import { AbCompare } from "./AbCompare";
import { PreviewOverview } from "./PreviewOverview";

/** What a mix brings to the preview (a row of `projects.get`'s `assets`). */
export interface PreviewAsset {
  id: string;
  fileName: string | null;
  sampleRate: number;
  durationSeconds: number;
  figures: { integratedLufs: number | null };
  waveform: readonly number[];
}

/** Where meters connect: the preview's output, before the speakers. */
export interface MeterTap {
  context: AudioContext;
  output: AudioNode;
}

/** The space bar means something to these: it must not toggle playback. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.closest("input, textarea, select, button, a[href], [role=slider], [role=textbox]") !== null
  );
}

/** Letters typed into these are text: B must not switch A/B. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [role=textbox]") !== null;
}

export function PreviewPanel({
  projectId,
  asset,
  preview,
  meters,
  chain,
}: {
  projectId: string;
  asset: PreviewAsset | null;
  /** The live chain (chain A), whose loudness gain the server measures. */
  chain: Chain | null;
  /** The engine playing `asset` (`usePreviewEngine`). */
  preview: PreviewHandle;
  /** The slot for level meters (apps/web/src/preview/monitor/). */
  meters?: (tap: MeterTap) => ReactNode;
}) {
  const { engine, error } = preview;
  const s = usePreviewSnapshot(engine);
  const [region, setRegion] = useState<{ start: number; end: number } | null>(null);
  const looping = s?.loop !== null && s?.loop !== undefined;
  // The export's own loudness gain for A's chain and B's, measured on the server.
  const sound = useMemo(() => (chain ? soundSignature(chain) : null), [chain]);
  const [loudnessFailure, setLoudnessFailure] = useState("");
  useMeasuredLoudness(engine, "A", asset && { projectId, assetId: asset.id }, sound, setLoudnessFailure);
  const versionB = s?.versionB?.id ?? null;
  useMeasuredLoudness(
    engine,
    "B",
    asset && versionB !== null ? { projectId, assetId: asset.id, versionId: versionB } : null,
    versionB,
  );

  // Space toggles playback and B toggles A/B, unless the key is meant for a field or a control.
  useEffect(() => {
    if (!engine) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === " " && !isTyping(e.target)) engine.toggle();
      else if ((e.key === "b" || e.key === "B") && !isTextEntry(e.target)) engine.toggleAB();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [engine]);

  if (!asset) {
    return (
      <Card title="Preview">
        <EmptyState title="Nothing to play yet">Upload a mix to hear it through the chain while you edit.</EmptyState>
      </Card>
    );
  }

  const duration = s?.durationSeconds ?? asset.durationSeconds;
  const setLoop = (on: boolean, r = region) => engine?.setLoop(on ? (r ?? { start: 0, end: duration }) : null);
  const gain = s?.loudnessGainDb ?? 0;

  return (
    <Card title="Preview">
      <div
        className="space-y-3"
        data-testid="preview-panel"
        data-asset-id={asset.id}
        data-state={s?.state ?? (error ? "error" : "loading")}
        data-last-applied={s?.lastApplied ? JSON.stringify(s.lastApplied) : undefined}
        data-listening={s?.listening}
      >
        <div className="flex flex-wrap items-center gap-3">
          <Button
            data-testid="preview-play"
            disabled={!engine}
            onClick={() => engine?.toggle()}
            aria-label={s?.state === "paused" || !s ? "Play (space)" : "Pause (space)"}
            className="w-24"
          >
            {!engine ? "Loading…" : s?.state === "paused" ? "Play" : s?.state === "buffering" ? "Buffering…" : "Pause"}
          </Button>
          <span className="font-mono text-sm tabular-nums text-zinc-300" data-testid="preview-time">
            <Clock engine={engine} /> / {formatTime(duration)}
          </span>
          <Button
            variant="secondary"
            data-testid="preview-loop"
            aria-pressed={looping}
            disabled={!engine}
            onClick={() => setLoop(!looping)}
            title={region ? "Loop the marked region" : "Loop the whole mix (drag on the overview to mark a region)"}
          >
            {looping ? "Looping" : region ? "Loop region" : "Loop"}
          </Button>
          <label className="flex items-center gap-2 text-sm text-zinc-300">
            <input
              type="checkbox"
              data-testid="preview-bypass"
              checked={s?.bypassed ?? false}
              disabled={!engine}
              onChange={(e) => engine?.setChainBypassed(e.target.checked)}
              className="h-4 w-4 accent-sky-500"
            />
            Bypass chain (loudness-matched)
          </label>
          <span
            className="text-xs text-zinc-500"
            data-testid="preview-loudness-gain"
            data-source={s?.loudnessSource}
            data-gain-db={s ? String(gain) : undefined}
            title={
              s?.loudnessSource === "measured"
                ? "The gain the export applies to reach the loudness target: the server measured this chain on this mix, after the modules before the loudness stage and the limiter."
                : `Estimated until the server has measured this chain on this mix (it does after each edit).${loudnessFailure ? ` ${loudnessFailure}` : ""}`
            }
          >
            Loudness gain {gain >= 0 ? "+" : ""}
            {gain.toFixed(1)} dB
            {s &&
              (s.loudnessSource === "measured" ? " · measured" : loudnessFailure ? " · estimated" : " · measuring…")}
          </span>
        </div>
        <AbCompare projectId={projectId} engine={engine} snapshot={s} />
        <PreviewOverview
          engine={engine}
          peaks={asset.waveform}
          label={`Overview of ${asset.fileName ?? "the mix"}`}
          durationSeconds={duration}
          region={region}
          loop={s?.loop ?? null}
          onSeek={(t) => engine?.seek(t)}
          onRegion={(r) => {
            setRegion(r);
            if (looping) setLoop(true, r);
          }}
        />
        <div data-testid="preview-meters" className="empty:hidden">
          {engine && meters?.({ context: engine.context, output: engine.output })}
        </div>
        {!s?.streaming && s && (
          <p className="text-xs text-zinc-500">This format is decoded whole before it plays; WAV and AIFF stream.</p>
        )}
        <ErrorMessage>{error ?? s?.error ?? ""}</ErrorMessage>
      </div>
    </Card>
  );
}

/** The play position, redrawn every frame while the engine runs (no React render per frame). */
function Clock({ engine }: { engine: PreviewEngine | null }) {
  const [text, setText] = useState("0:00");
  useEffect(() => {
    if (!engine) return;
    let raf = 0;
    let last = "";
    const draw = () => {
      const t = formatTime(engine.position());
      if (t !== last) setText((last = t));
      raf = requestAnimationFrame(draw);
    };
    draw();
    return () => cancelAnimationFrame(raf);
  }, [engine]);
  return <>{text}</>;
}
