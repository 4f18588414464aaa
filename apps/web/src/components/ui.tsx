// The few building blocks every page uses: calm dark surfaces, one accent, visible focus.
import Link from "next/link";
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from "react";

const focus = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400";

export function Button({
  variant = "primary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" | "ghost" }) {
  const look = {
    primary: "bg-sky-500 text-zinc-950 hover:bg-sky-400 disabled:bg-sky-900 disabled:text-zinc-400",
    secondary: "border border-zinc-700 bg-zinc-900 text-zinc-100 hover:bg-zinc-800 disabled:text-zinc-500",
    danger: "border border-red-900 bg-red-950/60 text-red-200 hover:bg-red-900/60 disabled:text-zinc-500",
    ghost: "text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100",
  }[variant];
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed ${look} ${focus} ${className}`}
      {...props}
    />
  );
}

export function TextField({
  label,
  hint,
  error,
  id,
  className = "",
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string; id: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-200">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={error ? true : undefined}
        className={`mt-1 block w-full rounded-md border border-zinc-700 bg-zinc-900 px-3 py-2 text-zinc-100 placeholder:text-zinc-500 ${focus}`}
        {...props}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  className = "",
}: {
  title?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const headingId = title ? `card-${title.replace(/\W+/g, "-").toLowerCase()}` : undefined;
  return (
    <section
      aria-labelledby={headingId}
      className={`rounded-xl border border-zinc-800 bg-zinc-900/60 p-5 ${className}`}
    >
      {(title || actions) && (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          {title && (
            <h2 id={headingId} className="text-base font-semibold text-zinc-100">
              {title}
            </h2>
          )}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function ErrorMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="alert" className="rounded-md border border-red-900 bg-red-950/50 px-3 py-2 text-sm text-red-200">
      {children}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-700 px-4 py-6 text-center">
      <p className="font-medium text-zinc-200">{title}</p>
      <div className="mt-1 text-sm text-zinc-400">{children}</div>
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className="h-2 w-full overflow-hidden rounded-full bg-zinc-800"
    >
      <div className="h-full rounded-full bg-sky-500 transition-[width] duration-300" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="rounded-lg bg-zinc-950/60 px-3 py-2">
      <dt className="text-xs uppercase tracking-wide text-zinc-400">{label}</dt>
      <dd className="font-mono text-base text-zinc-100">{value}</dd>
      {note && <dd className="text-xs text-zinc-400">{note}</dd>}
    </div>
  );
}

/** What a page shows while its query loads, or when it failed (e.g. NOT_FOUND), with a way back. */
export function QueryFallback({ error }: { error: string | null }) {
  if (error === null) return <p className="text-zinc-400">Loading…</p>;
  return (
    <div className="space-y-4">
      <ErrorMessage>{error}</ErrorMessage>
      <Link href="/classes" className="text-sky-300 underline">
        Back to my classes
      </Link>
    </div>
  );
}
