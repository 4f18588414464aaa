"use client";
/**
 * Timed comments on one version: a composer for the time or range the page has picked (e.g. a click
 * or a drag on the waveform), optionally about one module, and the threads by time with replies,
 * resolve and reopen.
 *
 * Self-contained (its own queries and mutations); the page provides:
 * - `versionId`: the version the comments belong to
 * - `durationSeconds`: the mix's length (a pending time past it cannot be sent)
 * - `modules`: the chain's modules `{ id, label }` a comment may be about
 * - `pending`: the time or range to comment on, `null` when none is picked (the composer then shows a hint)
 * - `onClearPending()`: called after sending or cancelling, so the page drops its selection
 * - `onSeek(seconds)` (optional): a comment's time becomes a button that seeks the player
 * - `refreshKey` (optional): change it to refetch (e.g. when another person's comment is announced)
 * - `onChanged()` (optional): after this person added, replied to, resolved or reopened a comment
 *   (the page announces it to the room)
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { errorText, useTRPC } from "../client/trpc";
import { formatTime, formatTimeRange } from "./format";
import { Button, Card, EmptyState, ErrorMessage } from "./ui";

export { formatTime } from "./format";

export interface CommentsPanelProps {
  versionId: string;
  durationSeconds: number;
  modules: { id: string; label: string }[];
  pending: { atSeconds: number; endSeconds?: number } | null;
  onClearPending: () => void;
  onSeek?: (seconds: number) => void;
  refreshKey?: number;
  onChanged?: () => void;
  /** The project's saved versions, newest first: with `onVersionChange`, a picker of the version commented on. */
  versions?: { id: string; label: string; authorName: string }[];
  onVersionChange?: (versionId: string) => void;
}

const field =
  "block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-sm text-zinc-100 placeholder:text-zinc-500";

export function CommentsPanel({
  versionId,
  durationSeconds,
  modules,
  pending,
  onClearPending,
  onSeek,
  refreshKey,
  onChanged,
  versions,
  onVersionChange,
}: CommentsPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.comments.list.queryKey({ versionId });
  const comments = useQuery(trpc.comments.list.queryOptions({ versionId }));
  const refresh = () => {
    onChanged?.();
    return queryClient.invalidateQueries({ queryKey: listKey });
  };
  const create = useMutation(trpc.comments.create.mutationOptions({ onSuccess: refresh }));
  const [text, setText] = useState("");
  const [moduleId, setModuleId] = useState("");
  const [error, setError] = useState("");
  const [showResolved, setShowResolved] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch exactly when the page bumps refreshKey
  useEffect(() => {
    if (refreshKey !== undefined) void queryClient.invalidateQueries({ queryKey: listKey });
  }, [refreshKey]);

  const pastEnd = pending !== null && (pending.endSeconds ?? pending.atSeconds) > durationSeconds;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!pending) return;
    setError("");
    try {
      await create.mutateAsync({
        versionId,
        atSeconds: pending.atSeconds,
        endSeconds: pending.endSeconds,
        text,
        moduleId: moduleId || undefined,
      });
      setText("");
      setModuleId("");
      onClearPending();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const threads = comments.data ?? [];
  const resolvedCount = threads.filter((t) => t.resolved).length;
  const shown = showResolved ? threads : threads.filter((t) => !t.resolved);

  return (
    <Card
      title="Comments"
      actions={
        resolvedCount > 0 && (
          <label className="flex items-center gap-2 text-xs text-zinc-400">
            <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
            Show resolved ({resolvedCount})
          </label>
        )
      }
    >
      {versions && versions.length > 1 && onVersionChange && (
        <div className="mb-4 flex items-center gap-2">
          <label htmlFor="comment-version" className="text-xs font-medium text-zinc-300">
            On version
          </label>
          <select
            id="comment-version"
            value={versionId}
            onChange={(e) => onVersionChange(e.target.value)}
            className="min-w-0 flex-1 rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1 text-sm text-zinc-100"
          >
            {versions.map((v, i) => (
              <option key={v.id} value={v.id}>
                {v.label} — {v.authorName}
                {i === 0 ? " (newest)" : ""}
              </option>
            ))}
          </select>
        </div>
      )}
      {pending ? (
        <form onSubmit={onSubmit} className="mb-4 space-y-2 rounded-lg bg-zinc-950/60 p-3">
          <p className="text-sm text-zinc-300">
            Comment at{" "}
            <span className="font-mono text-zinc-100">{formatTimeRange(pending.atSeconds, pending.endSeconds)}</span>
            {pastEnd && (
              <span className="text-red-300"> — past the end of the mix ({formatTime(durationSeconds)})</span>
            )}
          </p>
          <div>
            <label htmlFor={`comment-module-${versionId}`} className="text-xs font-medium text-zinc-300">
              About
            </label>
            <select
              id={`comment-module-${versionId}`}
              value={moduleId}
              onChange={(e) => setModuleId(e.target.value)}
              className={`mt-1 ${field}`}
            >
              <option value="">The whole mix</option>
              {modules.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
          <textarea
            aria-label="Comment"
            data-testid="comment-input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={2000}
            rows={3}
            placeholder="What do you hear?"
            className={field}
          />
          <ErrorMessage>{error}</ErrorMessage>
          <div className="flex gap-2">
            <Button
              type="submit"
              data-testid="comment-submit"
              disabled={create.isPending || text.trim() === "" || pastEnd}
            >
              {create.isPending ? "Sending…" : "Comment"}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setError("");
                onClearPending();
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <p className="mb-4 text-sm text-zinc-400">Click or drag on the waveform to comment on a moment.</p>
      )}
      {comments.error && <ErrorMessage>{errorText(comments.error)}</ErrorMessage>}
      {comments.isPending ? (
        <p className="text-sm text-zinc-400">Loading comments…</p>
      ) : shown.length === 0 ? (
        <EmptyState title={threads.length === 0 ? "No comments yet" : "Every comment is resolved"}>
          Comments are pinned to a time in the mix.
        </EmptyState>
      ) : (
        <ol className="space-y-3">
          {shown.map((t) => (
            <Thread key={t.id} thread={t} onSeek={onSeek} onChange={refresh} />
          ))}
        </ol>
      )}
    </Card>
  );
}

interface CommentView {
  id: string;
  atSeconds: number;
  endSeconds: number | null;
  text: string;
  moduleLabel: string | null;
  resolved: boolean;
  author: { id: string; name: string; color: string };
  canResolve: boolean;
}

function Author({ author }: { author: CommentView["author"] }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs font-medium text-zinc-300">
      <span aria-hidden className="inline-block size-2 rounded-full" style={{ backgroundColor: author.color }} />
      {author.name}
    </span>
  );
}

function Thread({
  thread,
  onSeek,
  onChange,
}: {
  thread: CommentView & { replies: CommentView[] };
  onSeek?: (seconds: number) => void;
  onChange: () => void;
}) {
  const trpc = useTRPC();
  const reply = useMutation(trpc.comments.reply.mutationOptions({ onSuccess: onChange }));
  const resolve = useMutation(trpc.comments.setResolved.mutationOptions({ onSuccess: onChange }));
  const [replying, setReplying] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const time = formatTimeRange(thread.atSeconds, thread.endSeconds);

  async function onReply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    try {
      await reply.mutateAsync({ commentId: thread.id, text });
      setText("");
      setReplying(false);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function toggleResolved() {
    setError("");
    try {
      await resolve.mutateAsync({ commentId: thread.id, resolved: !thread.resolved });
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <li
      data-testid="comment"
      data-resolved={thread.resolved || undefined}
      className={`rounded-lg border border-zinc-800 p-3 ${thread.resolved ? "opacity-60" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        {onSeek ? (
          <button
            type="button"
            onClick={() => onSeek(thread.atSeconds)}
            className="font-mono text-sm text-sky-300 underline-offset-2 hover:underline"
            title="Play from here"
          >
            {time}
          </button>
        ) : (
          <span className="font-mono text-sm text-zinc-200">{time}</span>
        )}
        <Author author={thread.author} />
        {thread.resolved && <span className="rounded bg-zinc-800 px-1.5 text-xs text-zinc-300">Resolved</span>}
        <div className="ml-auto flex gap-1">
          <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setReplying(!replying)}>
            Reply
          </Button>
          {thread.canResolve && (
            <Button variant="ghost" className="px-2 py-1 text-xs" disabled={resolve.isPending} onClick={toggleResolved}>
              {thread.resolved ? "Reopen" : "Resolve"}
            </Button>
          )}
        </div>
      </div>
      <p className="mt-1 whitespace-pre-wrap text-sm text-zinc-100">
        <span className="sr-only">{time} — </span>
        {thread.moduleLabel && <span className="text-zinc-400">{thread.moduleLabel} — </span>}
        {thread.text}
      </p>
      {thread.replies.length > 0 && (
        <ol className="mt-2 space-y-2 border-l border-zinc-800 pl-3">
          {thread.replies.map((r) => (
            <li key={r.id}>
              <Author author={r.author} />
              <p className="whitespace-pre-wrap text-sm text-zinc-200">{r.text}</p>
            </li>
          ))}
        </ol>
      )}
      {replying && (
        <form onSubmit={onReply} className="mt-2 flex gap-2">
          <input
            aria-label="Reply"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={2000}
            placeholder="Reply…"
            className={field}
          />
          <Button type="submit" disabled={reply.isPending || text.trim() === ""}>
            Send
          </Button>
        </form>
      )}
      <ErrorMessage>{error}</ErrorMessage>
    </li>
  );
}
