import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "../src/client/trpc";
import { SignOutButton } from "../src/components/SignOutButton";
import { currentUser } from "../src/server/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Comaster", template: "%s · Comaster" },
  description: "Collaborative mastering for classrooms",
};

export const viewport: Viewport = { themeColor: "#09090b", colorScheme: "dark" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-zinc-950 text-zinc-100 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-sky-500 focus:px-3 focus:py-2 focus:text-zinc-950"
        >
          Skip to content
        </a>
        <header className="border-b border-zinc-800 bg-zinc-950/80">
          <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
            <Link href={user ? "/classes" : "/"} className="flex items-center gap-2 font-semibold tracking-tight">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full bg-sky-400" />
              Comaster
            </Link>
            {user ? (
              <div className="flex items-center gap-2 text-sm">
                <Link
                  href="/classes"
                  className="rounded-md px-3 py-2 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100"
                >
                  My classes
                </Link>
                <span className="hidden text-zinc-400 sm:inline" title={`Signed in as ${user.username}`}>
                  {user.displayName}
                </span>
                <SignOutButton />
              </div>
            ) : (
              <div className="flex items-center gap-2 text-sm">
                <Link
                  href="/sign-in"
                  className="rounded-md px-3 py-2 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100"
                >
                  Sign in
                </Link>
                <Link
                  href="/sign-up"
                  className="rounded-md bg-sky-500 px-3 py-2 font-medium text-zinc-950 hover:bg-sky-400"
                >
                  Create account
                </Link>
              </div>
            )}
          </nav>
        </header>
        <Providers>
          <main id="main" className="mx-auto max-w-6xl px-4 py-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
