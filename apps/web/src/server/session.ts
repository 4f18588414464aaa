// The signed-in user for server components (pages), from the request's cookie.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { services } from "./services";
import { sessionUser } from "./trpc/handler";
import type { SessionUser } from "./trpc/init";

export async function currentUser(): Promise<SessionUser | null> {
  const s = await services();
  return sessionUser(await headers(), s);
}

/** The user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return user;
}
