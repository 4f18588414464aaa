"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { signIn, signUp } from "../client/authApi";
import { Button, ErrorMessage, TextField } from "./ui";

/** Only same-site paths are followed after signing in (no open redirect). */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/classes";
}

export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError("");
    const result =
      mode === "sign-in"
        ? await signIn(username, password)
        : await signUp(username, String(form.get("displayName") ?? "").trim(), password);
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    router.push(safeNext(params.get("next")));
    router.refresh();
  }

  const signUpMode = mode === "sign-up";
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      <TextField
        id="username"
        name="username"
        label="Username"
        autoComplete="username"
        required
        minLength={3}
        maxLength={32}
        pattern="[A-Za-z0-9][A-Za-z0-9._\-]{2,31}"
        hint={signUpMode ? "3–32 letters, digits, dots, dashes or underscores. No e-mail needed." : undefined}
      />
      {signUpMode && (
        <TextField
          id="displayName"
          name="displayName"
          label="Your name (shown to your class)"
          autoComplete="name"
          maxLength={80}
        />
      )}
      <TextField
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete={signUpMode ? "new-password" : "current-password"}
        required
        minLength={signUpMode ? 8 : 1}
        hint={signUpMode ? "At least 8 characters." : undefined}
      />
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? "One moment…" : signUpMode ? "Create account" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-zinc-400">
        {signUpMode ? (
          <>
            Already have an account?{" "}
            <Link href="/sign-in" className="text-sky-300 underline">
              Sign in
            </Link>
          </>
        ) : (
          <>
            New here?{" "}
            <Link href="/sign-up" className="text-sky-300 underline">
              Create an account
            </Link>
          </>
        )}
      </p>
    </form>
  );
}
