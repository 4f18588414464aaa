"use client";
/**
 * The project's saved versions: save the live chain under a label, compare two versions (the lines
 * `versions.diff` writes), restore one onto the desk, or render one over a mix.
 *
 * Self-contained (its own queries and mutations); the page provides:
 * - `projectId`
 * - `canEdit`: false for a listener — hides save, restore and render (the server refuses them anyway)
 * - `onRestore(chain)`: called with the chosen version's chain; the page applies it to the live
 *   document with `restoreChain(doc, chain, origin)` so it is one undoable edit everyone sees
 * - `assets`: the project's mixes, for "Render this version"
 * - `onRenderQueued(jobId)` (optional): after a render is queued, e.g. to refresh the renders list
 */
import type { Chain } from "@comaster/chain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { errorText, useTRPC } from "../client/trpc";
import { FORMAT_LABELS, relativeTime } from "./format";
import { Button, Card, EmptyState, ErrorMessage } from "./ui";

export interface VersionsPanelProps {
  projectId: string;
  canEdit: boolean;
  onRestore: (chain: Chain) => void;
  assets: { id: string; name: string }[];
  onRenderQueued?: (jobId: string) => void;
  /** After this person saved a version (the page announces it to the room). */
  onSaved?: () => void;
  /** Change it to refetch the list (another person saved a version). */
  refreshKey?: number;
}

const RENDER_FORMATS = ["wav16", "wav24", "flac", "mp3"] as const;
type RenderFormat = (typeof RENDER_FORMATS)[number];
const select = "mt-1 block w-full rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm";

/** The current time, refreshed every minute (for "5 min ago"). */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function VersionsPanel({
  projectId,
  canEdit,
  onRestore,
  assets,
  onRenderQueued,
  onSaved,
  refreshKey,
}: VersionsPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const versions = useQuery(trpc.versions.list.queryOptions({ projectId }));
  const save = useMutation(
    trpc.versions.save.mutationOptions({
      onSuccess: () => {
        onSaved?.();
        return queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ projectId }) });
      },
    }),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch exactly when the page bumps refreshKey
  useEffect(() => {
    if (refreshKey !== undefined)
      void queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ projectId }) });
  }, [refreshKey]);
  const [label, setLabel] = useState("");
  const [error, setError] = useState("");
  const [compare, setCompare] = useState<string[]>([]);
  const [rendering, setRendering] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);

  const list = versions.data ?? [];
  // Compare older → newer, whatever order they were ticked in.
  const [fromId, toId] = [...compare].sort(
    (a, b) => list.findIndex((v) => v.id === b) - list.findIndex((v) => v.id === a),
  );
  const diff = useQuery({
    ...trpc.versions.diff.queryOptions({ fromVersionId: fromId ?? "", toVersionId: toId ?? "" }),
    enabled: fromId !== undefined && toId !== undefined,
  });

  async function onSave(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    try {
      await save.mutateAsync({ projectId, label });
      setLabel("");
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function restore(versionId: string) {
    setError("");
    setRestoring(versionId);
    try {
      const version = await queryClient.fetchQuery(trpc.versions.get.queryOptions({ versionId }));
      onRestore(version.chain as Chain);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRestoring(null);
    }
  }

  function toggleCompare(versionId: string) {
    setCompare((ids) => (ids.includes(versionId) ? ids.filter((x) => x !== versionId) : [...ids, versionId].slice(-2)));
  }

  return (
    <Card title="Versions">
      {canEdit && (
        <form onSubmit={onSave} className="mb-4 flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor="version-label" className="text-sm font-medium text-zinc-200">
              Save the chain as a version
            </label>
            <input
              id="version-label"
              data-testid="version-label-input"
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              maxLength={80}
              placeholder="e.g. Softer limiter"
              className="mt-1 block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-zinc-100 placeholder:text-zinc-500"
            />
          </div>
          <Button type="submit" data-testid="save-version" disabled={save.isPending || label.trim() === ""}>
            {save.isPending ? "Saving…" : "Save version"}
          </Button>
        </form>
      )}
      <ErrorMessage>{error || (versions.error ? errorText(versions.error) : "")}</ErrorMessage>
      {versions.isPending ? (
        <p className="text-sm text-zinc-400">Loading versions…</p>
      ) : list.length === 0 ? (
        <EmptyState title="No versions yet">Save the chain to keep a version you can compare and render.</EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-800">
          {list.map((v) => (
            <li key={v.id} data-testid="version-row" className="py-2">
              <div className="flex flex-wrap items-center gap-3">
                <input
                  type="checkbox"
                  aria-label={`Compare ${v.label}`}
                  checked={compare.includes(v.id)}
                  onChange={() => toggleCompare(v.id)}
                />
                {/* At least 12rem for the label: in the page's narrow column the buttons go under it
                    rather than squeeze it to "Lesson 1 — ge…". */}
                <div className="min-w-[12rem] flex-1">
                  <p className="truncate font-medium text-zinc-100" title={v.label}>
                    {v.label}
                  </p>
                  <p className="text-xs text-zinc-400">
                    {v.authorName} ·{" "}
                    <time dateTime={String(v.createdAt)}>{relativeTime(new Date(v.createdAt), now)}</time>
                  </p>
                </div>
                {canEdit && (
                  <>
                    <Button variant="secondary" disabled={restoring !== null} onClick={() => restore(v.id)}>
                      {restoring === v.id ? "Restoring…" : "Restore"}
                    </Button>
                    <Button
                      variant="ghost"
                      aria-expanded={rendering === v.id}
                      onClick={() => setRendering(rendering === v.id ? null : v.id)}
                    >
                      Render…
                    </Button>
                  </>
                )}
              </div>
              {canEdit && rendering === v.id && (
                <RenderVersionForm
                  projectId={projectId}
                  versionId={v.id}
                  assets={assets}
                  onQueued={(jobId) => {
                    setRendering(null);
                    onRenderQueued?.(jobId);
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {fromId !== undefined && toId !== undefined && (
        <section aria-label="Differences" className="mt-4 rounded-lg bg-zinc-950/60 p-3">
          <h3 className="text-sm font-semibold text-zinc-200">
            {list.find((v) => v.id === fromId)?.label} → {list.find((v) => v.id === toId)?.label}
          </h3>
          {diff.isPending ? (
            <p className="text-sm text-zinc-400">Comparing…</p>
          ) : diff.error ? (
            <ErrorMessage>{errorText(diff.error)}</ErrorMessage>
          ) : diff.data.lines.length === 0 ? (
            <p className="text-sm text-zinc-400">No differences.</p>
          ) : (
            <ul data-testid="version-diff" className="mt-2 space-y-1 font-mono text-sm text-zinc-200">
              {diff.data.changes.map((c, i) => (
                <li key={`${c.kind}:${c.moduleId}:${c.kind === "param" ? c.key : ""}`}>{diff.data.lines[i]}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Card>
  );
}

function RenderVersionForm({
  projectId,
  versionId,
  assets,
  onQueued,
}: {
  projectId: string;
  versionId: string;
  assets: { id: string; name: string }[];
  onQueued: (jobId: string) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.renders.create.mutationOptions());
  const [error, setError] = useState("");

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    const f = new FormData(e.currentTarget);
    try {
      const { jobId } = await create.mutateAsync({
        projectId,
        versionId,
        assetId: String(f.get("asset")),
        format: String(f.get("format")) as RenderFormat,
      });
      onQueued(jobId);
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (assets.length === 0) return <p className="mt-2 text-sm text-zinc-400">Upload a mix to render this version.</p>;
  return (
    <form onSubmit={onSubmit} className="mt-2 grid gap-2 sm:grid-cols-3 sm:items-end">
      <div>
        <label htmlFor={`render-asset-${versionId}`} className="text-xs font-medium text-zinc-300">
          Mix
        </label>
        <select id={`render-asset-${versionId}`} name="asset" className={select}>
          {assets.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`render-format-${versionId}`} className="text-xs font-medium text-zinc-300">
          Format
        </label>
        <select id={`render-format-${versionId}`} name="format" className={select} defaultValue="wav24">
          {RENDER_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" data-testid="render-version" disabled={create.isPending}>
        {create.isPending ? "Queueing…" : "Render this version"}
      </Button>
      {error && (
        <div className="sm:col-span-3">
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      )}
    </form>
  );
}
