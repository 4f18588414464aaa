"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { errorText, useTRPC } from "../client/trpc";
import { Button, Card, EmptyState, ErrorMessage, QueryFallback, TextField } from "./ui";

export function ClassView({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const view = useQuery(trpc.classes.get.queryOptions({ classId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) });
  const rotate = useMutation(trpc.classes.rotateInvite.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.classes.removeMember.mutationOptions({ onSuccess: refresh }));
  const createProject = useMutation(trpc.projects.create.mutationOptions());
  const bulk = useMutation(trpc.classes.bulkCreateStudents.mutationOptions({ onSuccess: refresh }));
  const [error, setError] = useState("");
  const [copied, setCopied] = useState(false);

  if (view.isPending || view.error) return <QueryFallback error={view.error ? errorText(view.error) : null} />;
  const c = view.data;
  const teacher = c.role === "teacher";

  async function onNewProject(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    try {
      const { id } = await createProject.mutateAsync({
        classId,
        name: String(new FormData(e.currentTarget).get("projectName") ?? ""),
      });
      router.push(`/projects/${id}`);
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function onBulk(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError("");
    const names = String(new FormData(e.currentTarget).get("names") ?? "")
      .split(/\r?\n/)
      .map((n) => n.trim())
      .filter(Boolean);
    try {
      await bulk.mutateAsync({ classId, names });
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <p className="text-sm text-zinc-400">
            <Link href="/classes" className="hover:text-zinc-200">
              My classes
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">{c.name}</h1>
        </div>
        <span className="rounded-full border border-zinc-700 px-3 py-1 text-xs text-zinc-300">
          You are the {teacher ? "teacher" : "student"}
        </span>
      </div>
      <ErrorMessage>{error}</ErrorMessage>

      {teacher && c.inviteCode && (
        <Card title="Invite code">
          <div className="flex flex-wrap items-center gap-3">
            <code
              data-testid="invite-code"
              className="rounded-md bg-zinc-950 px-3 py-2 font-mono text-lg tracking-wider text-sky-300"
            >
              {c.inviteCode}
            </code>
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(c.inviteCode ?? "").catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy code"}
            </Button>
            <Button
              variant="ghost"
              disabled={rotate.isPending}
              onClick={() => {
                if (confirm("Make a new code? The old one stops working at once.")) rotate.mutate({ classId });
              }}
            >
              New code
            </Button>
          </div>
          <p className="mt-2 text-sm text-zinc-400">
            Students sign up, then enter this code under “Join a class”. Make a new code if it got out.
          </p>
        </Card>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Projects" className="lg:col-span-2">
          <form onSubmit={onNewProject} className="mb-4 flex flex-wrap items-end gap-3">
            <TextField
              id="projectName"
              name="projectName"
              label="New project"
              required
              maxLength={120}
              placeholder="Song title"
              className="min-w-56 flex-1"
            />
            <Button type="submit" disabled={createProject.isPending}>
              Create project
            </Button>
          </form>
          {c.projects.length === 0 ? (
            <EmptyState title="No projects yet">Create a project above, then upload a mix to it.</EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-800">
              {c.projects.map((p) => (
                <li key={p.id}>
                  <Link
                    href={`/projects/${p.id}`}
                    className="flex justify-between rounded-md px-2 py-3 hover:bg-zinc-800/60"
                  >
                    <span className="font-medium">{p.name}</span>
                    <span className="text-sm text-zinc-400">
                      {p.assets} {p.assets === 1 ? "mix" : "mixes"}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title={`Members (${c.members.length})`}>
          <ul className="divide-y divide-zinc-800">
            {c.members.map((m) => (
              <li key={m.userId} className="flex items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-medium">{m.displayName}</span>{" "}
                  <span className="text-sm text-zinc-400">
                    @{m.username} · {m.role}
                  </span>
                </span>
                {teacher && !m.isMe && (
                  <Button
                    variant="ghost"
                    aria-label={`Remove ${m.displayName} from the class`}
                    onClick={() => {
                      if (confirm(`Remove ${m.displayName} from ${c.name}?`))
                        remove.mutate({ classId, userId: m.userId });
                    }}
                  >
                    Remove
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </Card>
      </div>

      {teacher && (
        <Card title="Create student accounts">
          <form onSubmit={onBulk} className="space-y-3 print:hidden">
            <label htmlFor="names" className="block text-sm font-medium text-zinc-200">
              Names, one per line
            </label>
            <textarea
              id="names"
              name="names"
              rows={5}
              className="block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 font-mono text-sm"
              placeholder={"Ada Lovelace\nClara Schumann"}
            />
            <Button type="submit" variant="secondary" disabled={bulk.isPending}>
              {bulk.isPending ? "Creating…" : "Create accounts"}
            </Button>
          </form>
          {bulk.data && (
            <div className="mt-4">
              <div className="mb-2 flex items-center justify-between print:hidden">
                <p className="text-sm text-zinc-300">Print this sheet now: the first passwords are not shown again.</p>
                <Button variant="secondary" onClick={() => window.print()}>
                  Print sheet
                </Button>
              </div>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">New student accounts</caption>
                <thead className="text-zinc-400">
                  <tr>
                    <th className="py-1">Name</th>
                    <th>Username</th>
                    <th>First password</th>
                  </tr>
                </thead>
                <tbody className="font-mono">
                  {bulk.data.students.map((s) => (
                    <tr key={s.username} className="border-t border-zinc-800">
                      <td className="py-1 font-sans">{s.name}</td>
                      <td>{s.username}</td>
                      <td>{s.password}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
