"use client";
import { loudnessTargetOf, PRESET_NAMES, PRESETS, type PresetName, restoreChain } from "@comaster/chain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type DragEvent, type FormEvent, useRef, useState } from "react";
import { useCollabRoom } from "../client/collab/useCollabRoom";
import { errorText, useTRPC } from "../client/trpc";
import { type UploadHandle, uploadFile } from "../client/upload";
import { formatLufs, LOUDNESS_TARGETS } from "../loudnessTargets";
import { usePreviewEngine } from "../preview/usePreviewEngine";
import { SNIFF_BYTES, sniffBytesWanted, sniffUpload } from "../server/uploads/sniffUpload";
import { CommentsPanel } from "./CommentsPanel";
import { type CommentSpan, CommentWaveform } from "./CommentWaveform";
import { Desk } from "./desk/Desk";
import { bytes, db, duration, FORMAT_LABELS, plain } from "./format";
import { MonitorMeters } from "./preview/MonitorMeters";
import { PreviewPanel } from "./preview/PreviewPanel";
import { Button, Card, EmptyState, ErrorMessage, Figure, ProgressBar, QueryFallback } from "./ui";
import { VersionsPanel } from "./VersionsPanel";

const ACCEPT = ".wav,.wave,.aif,.aiff,.aifc,.flac,.mp3,audio/wav,audio/x-wav,audio/aiff,audio/flac,audio/mpeg";
const MAX_BYTES = 1024 ** 3;

export function ProjectView({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const active = project.data?.renders.some((r) => r.status === "queued" || r.status === "running") ?? false;
  // Live progress: poll the renders while one is queued or running.
  const renders = useQuery({
    ...trpc.projects.renders.queryOptions({ projectId }),
    enabled: project.isSuccess,
    refetchInterval: (q) =>
      q.state.data?.some((r) => r.status === "queued" || r.status === "running") || active ? 1000 : false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
  // The live chain: one shared document per project, opened as soon as the page is.
  const room = useCollabRoom(projectId);
  // Comments go on the newest version; a click or drag on a waveform picks their time.
  const versions = useQuery(trpc.versions.list.queryOptions({ projectId }));
  const latestVersion = versions.data?.[0] ?? null;
  // The version the comments are on: the newest unless someone picked another (and it still exists).
  const [pickedVersionId, setPickedVersionId] = useState<string | null>(null);
  const commentVersion = versions.data?.find((v) => v.id === pickedVersionId) ?? latestVersion;
  const [pending, setPending] = useState<CommentSpan | null>(null);
  // The preview plays the first mix; the desk shows its gain reduction, the panel its controls.
  const previewAsset = project.data?.assets[0] ?? null;
  const preview = usePreviewEngine(
    previewAsset && {
      id: previewAsset.id,
      sampleRate: previewAsset.sampleRate,
      integratedLufs: previewAsset.figures.integratedLufs,
    },
    room.doc,
    room.chain,
  );

  if (project.isPending || project.error)
    return <QueryFallback error={project.error ? errorText(project.error) : null} />;
  const p = project.data;
  const renderList = renders.data ?? p.renders;
  const commentAsset = p.assets[0];
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-zinc-400">
          <Link href="/classes" className="hover:text-zinc-200">
            My classes
          </Link>{" "}
          /{" "}
          <Link href={`/classes/${p.class.id}`} className="hover:text-zinc-200">
            {p.class.name}
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold">{p.name}</h1>
      </div>
      <Desk
        room={room}
        gainReduction={preview.engine?.gainReduction ?? null}
        sampleRate={previewAsset?.sampleRate ?? null}
      />
      <PreviewPanel
        projectId={projectId}
        asset={previewAsset}
        chain={room.chain}
        preview={preview}
        meters={(tap) => <MonitorMeters tap={tap} programmeLufs={room.chain && loudnessTargetOf(room.chain)} />}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <Uploader projectId={projectId} onUploaded={refresh} />
          <Card title="Mixes">
            {p.assets.length === 0 ? (
              <EmptyState title="No mix uploaded yet">
                Drop a WAV, AIFF, FLAC or MP3 file above. Comaster measures it and draws its waveform.
              </EmptyState>
            ) : (
              <ul className="space-y-6">
                {p.assets.map((a) => (
                  <li key={a.id} className="space-y-3" data-testid="asset">
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <h3 className="font-medium">{a.fileName ?? "Mix"}</h3>
                      <span className="text-sm text-zinc-400">
                        {a.format.toUpperCase()} · {(a.sampleRate / 1000).toFixed(1)} kHz ·{" "}
                        {a.channels === 1 ? "mono" : `${a.channels} ch`} · {duration(a.durationSeconds)} ·{" "}
                        {bytes(a.byteSize)}
                      </span>
                    </div>
                    <CommentWaveform
                      peaks={a.waveform}
                      label={`Waveform of ${a.fileName ?? "the mix"}`}
                      durationSeconds={a.durationSeconds}
                      versionId={a.id === commentAsset?.id ? (commentVersion?.id ?? null) : null}
                      pending={a.id === commentAsset?.id ? pending : null}
                      onPick={setPending}
                    />
                    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
                      <Figure label="Integrated" value={db(a.figures.integratedLufs, "LUFS")} />
                      <Figure label="Loudness range" value={db(a.figures.loudnessRangeLu, "LU")} />
                      <Figure label="True peak" value={db(a.figures.truePeakDbtp, "dBTP")} />
                      <Figure label="PLR" value={db(a.figures.plrDb, "dB")} note="peak to loudness" />
                      <Figure label="Correlation" value={plain(a.figures.correlation)} />
                      <Figure label="Clipped samples" value={String(a.figures.clippedSamples)} />
                    </dl>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {p.assets.length > 0 && (
            <RenderForm
              projectId={projectId}
              assets={p.assets.map((a) => ({ id: a.id, name: a.fileName ?? a.id }))}
              onQueued={refresh}
            />
          )}
          <Card title="Renders">
            {renderList.length === 0 ? (
              <EmptyState title="Nothing rendered yet">
                Pick a mix, a preset and a format above, then press Render.
              </EmptyState>
            ) : (
              <ul className="divide-y divide-zinc-800">
                {renderList.map((r) => (
                  <RenderRow key={r.id} render={r} onChange={() => renders.refetch()} />
                ))}
              </ul>
            )}
          </Card>
        </div>
        <aside className="space-y-6">
          {commentVersion ? (
            <CommentsPanel
              versionId={commentVersion.id}
              versions={versions.data}
              onVersionChange={setPickedVersionId}
              durationSeconds={commentAsset?.durationSeconds ?? 0}
              modules={room.modules.map((m) => ({ id: m.id, label: m.label }))}
              pending={pending}
              onClearPending={() => setPending(null)}
              refreshKey={room.news.comments}
              onChanged={() => room.announce("comments")}
            />
          ) : (
            <Card title="Comments">
              <EmptyState title="Save a version to comment on it">
                Comments belong to a saved version, so everyone knows which settings they are about.
              </EmptyState>
            </Card>
          )}
          <VersionsPanel
            projectId={projectId}
            canEdit={room.canEdit}
            assets={p.assets.map((a) => ({ id: a.id, name: a.fileName ?? a.id }))}
            onRestore={(chain) => restoreChain(room.doc, chain, room.origin)}
            onRenderQueued={refresh}
            onSaved={() => room.announce("versions")}
            refreshKey={room.news.versions}
          />
        </aside>
      </div>
    </div>
  );
}

function Uploader({ projectId, onUploaded }: { projectId: string; onUploaded: () => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<"idle" | "uploading" | "analysing">("idle");
  const [error, setError] = useState("");
  const [over, setOver] = useState(false);
  const handle = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function start(file: File) {
    setError("");
    if (file.size > MAX_BYTES) {
      setError(`${file.name} is ${bytes(file.size)}; the limit is 1 GB.`);
      return;
    }
    // The server checks again; checking here first answers at once, before a long upload starts.
    try {
      let head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
      const wanted = sniffBytesWanted(head);
      if (wanted > head.length) head = new Uint8Array(await file.slice(0, wanted).arrayBuffer());
      sniffUpload(head, file.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      if (input.current) input.current.value = "";
      return;
    }
    setPhase("uploading");
    setProgress(0);
    handle.current = uploadFile(projectId, file, (f) => {
      setProgress(f * 100);
      if (f >= 1) setPhase("analysing");
    });
    const result = await handle.current.done;
    handle.current = null;
    setPhase("idle");
    setProgress(null);
    if (input.current) input.current.value = "";
    if (result.ok) onUploaded();
    else setError(result.message);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && phase === "idle") void start(file);
  }

  return (
    <Card title="Upload a mix">
      <section
        aria-label="Drop a mix here to upload it"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`rounded-lg border-2 border-dashed px-4 py-8 text-center transition-colors ${over ? "border-sky-400 bg-sky-950/30" : "border-zinc-700"}`}
      >
        {phase === "idle" ? (
          <>
            <p className="text-zinc-200">Drag a mix here, or</p>
            <label className="mt-2 inline-block cursor-pointer rounded-md bg-sky-500 px-3.5 py-2 text-sm font-medium text-zinc-950 focus-within:outline-2 focus-within:outline-sky-300 hover:bg-sky-400">
              Choose a file
              <input
                ref={input}
                type="file"
                accept={ACCEPT}
                className="sr-only"
                aria-label="Choose a mix to upload"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void start(f);
                }}
              />
            </label>
            <p className="mt-2 text-xs text-zinc-400">WAV, AIFF, FLAC or MP3, up to 1 GB.</p>
          </>
        ) : (
          <div className="mx-auto max-w-md space-y-2" aria-live="polite">
            <p className="text-sm text-zinc-200">
              {phase === "uploading" ? `Uploading… ${Math.round(progress ?? 0)} %` : "Measuring loudness and peaks…"}
            </p>
            <ProgressBar value={phase === "uploading" ? (progress ?? 0) : 100} label="Upload progress" />
            {phase === "uploading" && (
              <Button variant="ghost" onClick={() => handle.current?.abort()}>
                Cancel
              </Button>
            )}
          </div>
        )}
      </section>
      <div className="mt-3">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </Card>
  );
}

// The delivery targets of the landing page, one option per distinct loudness.
const TARGETS = LOUDNESS_TARGETS.filter(
  (t, i, all) => all.findIndex((u) => u.integratedLufs === t.integratedLufs) === i,
).map((t) => ({
  value: t.integratedLufs,
  label: `${formatLufs(t.integratedLufs)} · ${LOUDNESS_TARGETS.filter((u) => u.integratedLufs === t.integratedLufs)
    .map((u) => u.label)
    .join(", ")}`,
}));

function RenderForm({
  projectId,
  assets,
  onQueued,
}: {
  projectId: string;
  assets: { id: string; name: string }[];
  onQueued: () => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.renders.create.mutationOptions());
  const [error, setError] = useState("");
  const [custom, setCustom] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    const f = new FormData(e.currentTarget);
    const targetLufs = Number(custom ? f.get("customTarget") : f.get("target"));
    try {
      await create.mutateAsync({
        projectId,
        assetId: String(f.get("asset")),
        preset: String(f.get("preset")) as PresetName,
        targetLufs,
        format: String(f.get("format")) as "wav16" | "wav24" | "flac" | "mp3",
      });
      onQueued();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const select = "mt-1 block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2";
  return (
    <Card title="Render a master">
      {/* Two columns at most: the card sits in the page's narrower column, where five squeezed the
          choices to "−14.0 LUF" and "WAV 24-bi". */}
      <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <label htmlFor="asset" className="text-sm font-medium">
            Mix
          </label>
          <select id="asset" name="asset" className={select}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="preset" className="text-sm font-medium">
            Preset
          </label>
          <select id="preset" name="preset" className={select} defaultValue="streaming">
            {PRESET_NAMES.map((n) => (
              <option key={n} value={n} title={PRESETS[n].description}>
                {PRESETS[n].label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="target" className="text-sm font-medium">
            Loudness target
          </label>
          {custom ? (
            <input
              id="target"
              name="customTarget"
              type="number"
              min={-30}
              max={-5}
              step={0.5}
              defaultValue={-14}
              className={select}
            />
          ) : (
            <select id="target" name="target" className={select} defaultValue="-14">
              {TARGETS.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
          <button type="button" className="mt-1 text-xs text-sky-300 underline" onClick={() => setCustom(!custom)}>
            {custom ? "Choose a standard target" : "Custom target"}
          </button>
        </div>
        <div>
          <label htmlFor="format" className="text-sm font-medium">
            Format
          </label>
          <select id="format" name="format" className={select} defaultValue="wav24">
            {(["wav16", "wav24", "flac", "mp3"] as const).map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={create.isPending} className="self-end">
          {create.isPending ? "Queuing…" : "Render"}
        </Button>
      </form>
      <div className="mt-3">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </Card>
  );
}

interface RenderItem {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  format: string;
  targetLufs: number;
  progress: number;
  attempts: number;
  error: string | null;
  createdAt: Date | string;
  version: { label: string };
  export: {
    id: string;
    byteSize: number;
    integratedLufs: number;
    truePeakDbtp: number;
    shareLinks: { id: string; token: string; expiresAt: Date | string | null; revoked: boolean; active: boolean }[];
  } | null;
}

function RenderRow({ render: r, onChange }: { render: RenderItem; onChange: () => void }) {
  const trpc = useTRPC();
  const share = useMutation(trpc.shares.create.mutationOptions({ onSuccess: onChange }));
  const revoke = useMutation(trpc.shares.revoke.mutationOptions({ onSuccess: onChange }));
  const [expiry, setExpiry] = useState("7");
  const [error, setError] = useState("");
  const statusText = {
    queued: "Waiting for a render worker…",
    running: `Rendering… ${r.progress} %`,
    done: "Done",
    failed: "Failed",
  }[r.status];
  return (
    <li className="space-y-3 py-4" data-testid="render">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">
          {r.version.label} · {FORMAT_LABELS[r.format] ?? r.format}
        </span>
        <span className="text-sm text-zinc-400" data-testid="render-status">
          {statusText}
        </span>
      </div>
      {(r.status === "queued" || r.status === "running") && (
        <ProgressBar value={r.status === "running" ? r.progress : 0} label={`Render progress of ${r.version.label}`} />
      )}
      {r.status === "failed" && <ErrorMessage>{r.error ?? "The render failed."}</ErrorMessage>}
      {r.export && (
        <div className="space-y-3">
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Figure
              label="Measured"
              value={db(r.export.integratedLufs, "LUFS")}
              note={`target ${db(r.targetLufs, "LUFS")} (${db(r.export.integratedLufs - r.targetLufs, "LU", 1).replace(/^(\d)/, "+$1")})`}
            />
            <Figure label="True peak" value={db(r.export.truePeakDbtp, "dBTP")} />
            <Figure label="Size" value={bytes(r.export.byteSize)} />
            <div className="flex items-center">
              <a
                href={`/api/exports/${r.export.id}/file`}
                className="rounded-md bg-sky-500 px-3.5 py-2 text-sm font-medium text-zinc-950 hover:bg-sky-400"
                download
              >
                Download
              </a>
            </div>
          </dl>
          <div className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor={`expiry-${r.id}`} className="text-xs text-zinc-400">
                Share link valid for
              </label>
              <select
                id={`expiry-${r.id}`}
                value={expiry}
                onChange={(e) => setExpiry(e.target.value)}
                className="mt-1 block rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm"
              >
                <option value="1">1 day</option>
                <option value="7">7 days</option>
                <option value="30">30 days</option>
                <option value="never">Until turned off</option>
              </select>
            </div>
            <Button
              variant="secondary"
              disabled={share.isPending}
              onClick={async () => {
                setError("");
                try {
                  await share.mutateAsync({
                    exportId: r.export?.id ?? "",
                    expiresInDays: expiry === "never" ? null : Number(expiry),
                  });
                } catch (err) {
                  setError(errorText(err));
                }
              }}
            >
              Create share link
            </Button>
          </div>
          <ErrorMessage>{error}</ErrorMessage>
          {r.export.shareLinks.length > 0 && (
            <ul className="space-y-1 text-sm">
              {r.export.shareLinks.map((l) => {
                const url = typeof window === "undefined" ? `/s/${l.token}` : `${window.location.origin}/s/${l.token}`;
                return (
                  <li key={l.id} className="flex flex-wrap items-center gap-2">
                    {l.active ? (
                      <a href={`/s/${l.token}`} className="font-mono text-sky-300 underline" data-testid="share-link">
                        {url}
                      </a>
                    ) : (
                      <span className="font-mono text-zinc-500 line-through">{url}</span>
                    )}
                    <span className="text-zinc-400">
                      {l.revoked
                        ? "turned off"
                        : l.expiresAt
                          ? `${l.active ? "until" : "expired"} ${new Date(l.expiresAt).toLocaleDateString()}`
                          : "until turned off"}
                    </span>
                    {l.active && (
                      <Button
                        variant="ghost"
                        onClick={() => revoke.mutate({ shareLinkId: l.id })}
                        aria-label={`Turn off share link ${l.token.slice(0, 6)}`}
                      >
                        Turn off
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
