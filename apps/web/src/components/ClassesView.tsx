"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { errorText, useTRPC } from "../client/trpc";
import { Button, Card, EmptyState, ErrorMessage, TextField } from "./ui";

export function ClassesView() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const classes = useQuery(trpc.classes.mine.queryOptions());
  const [createError, setCreateError] = useState("");
  const [joinError, setJoinError] = useState("");
  const create = useMutation(trpc.classes.create.mutationOptions());
  const join = useMutation(trpc.classes.join.mutationOptions());

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setCreateError("");
    const name = String(new FormData(e.currentTarget).get("className") ?? "");
    try {
      const { id } = await create.mutateAsync({ name });
      await queryClient.invalidateQueries({ queryKey: trpc.classes.mine.queryKey() });
      router.push(`/classes/${id}`);
    } catch (err) {
      setCreateError(errorText(err));
    }
  }

  async function onJoin(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setJoinError("");
    const code = String(new FormData(e.currentTarget).get("inviteCode") ?? "");
    try {
      const { classId } = await join.mutateAsync({ code });
      await queryClient.invalidateQueries({ queryKey: trpc.classes.mine.queryKey() });
      router.push(`/classes/${classId}`);
    } catch (err) {
      setJoinError(errorText(err));
    }
  }

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">My classes</h1>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Classes" className="lg:col-span-2">
          {classes.isPending ? (
            <p className="text-sm text-zinc-400">Loading…</p>
          ) : classes.error ? (
            <ErrorMessage>{errorText(classes.error)}</ErrorMessage>
          ) : classes.data.length === 0 ? (
            <EmptyState title="You are not in a class yet">
              Join one with the invite code from your teacher, or create your own class to teach.
            </EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-800">
              {classes.data.map((c) => (
                <li key={c.id}>
                  <Link
                    href={`/classes/${c.id}`}
                    className="flex items-center justify-between gap-4 rounded-md px-2 py-3 hover:bg-zinc-800/60"
                  >
                    <span className="font-medium">{c.name}</span>
                    <span className="text-sm text-zinc-400">
                      {c.role === "teacher" ? "Teacher" : "Student"} · {c.members} members · {c.projects} projects
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <div className="space-y-6">
          <Card title="Join a class">
            <form onSubmit={onJoin} className="space-y-3">
              <TextField
                id="inviteCode"
                name="inviteCode"
                label="Invite code"
                required
                defaultValue={params.get("code") ?? ""}
                autoComplete="off"
                spellCheck={false}
              />
              <ErrorMessage>{joinError}</ErrorMessage>
              <Button type="submit" disabled={join.isPending}>
                Join class
              </Button>
            </form>
          </Card>
          <Card title="Create a class">
            <form onSubmit={onCreate} className="space-y-3">
              <TextField
                id="className"
                name="className"
                label="Class name"
                required
                maxLength={80}
                placeholder="Year 11 Music"
              />
              <ErrorMessage>{createError}</ErrorMessage>
              <Button type="submit" variant="secondary" disabled={create.isPending}>
                Create class
              </Button>
            </form>
          </Card>
        </div>
      </div>
    </div>
  );
}
