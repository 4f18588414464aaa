// The few better-auth endpoints the pages call, as plain fetches (no client library in the bundle).

export interface AuthResult {
  ok: boolean;
  message: string;
}

async function post(path: string, body: unknown): Promise<AuthResult> {
  try {
    const res = await fetch(`/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (res.ok) return { ok: true, message: "" };
    const data = (await res.json().catch(() => ({}))) as { message?: string; error?: { message?: string } };
    return { ok: false, message: friendly(res.status, data.error?.message ?? data.message) };
  } catch {
    return { ok: false, message: "Could not reach Comaster. Check your connection and try again." };
  }
}

function friendly(status: number, message: string | undefined): string {
  if (status === 401) return "That username and password do not match.";
  if (message && /already exists|taken/i.test(message)) return "That username is taken. Pick another.";
  if (message) return message.endsWith(".") ? message : `${message}.`;
  return "Something went wrong. Please try again.";
}

export const signIn = (username: string, password: string) => post("/sign-in/username", { username, password });

export const signUp = (username: string, displayName: string, password: string) =>
  post("/sign-up/email", {
    username,
    name: displayName || username,
    password,
    // Students need no e-mail; better-auth needs an address, so a reserved .invalid one stands in.
    email: `${username.toLowerCase()}@users.comaster.invalid`,
  });

export const signOut = () => post("/sign-out", {});
