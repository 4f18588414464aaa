import type { DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAuthRequest } from "./auth/authRoute";
import { SignInLimiter } from "./auth/signInLimiter";
import { openTestServices, TEST_ORIGIN, type TestServices, testProviders } from "./testing/testServices";
import { handleTrpcRequest, MAX_BATCH_SIZE } from "./trpc/handler";

const providers = await testProviders();

describe.each(providers)(
  "HTTP endpoints on $provider",
  ({ provider, skip }: { provider: DbProvider; skip: boolean }) => {
    let s: TestServices;
    const auth = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      handleAuthRequest(
        new Request(`${TEST_ORIGIN}/api/auth${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: TEST_ORIGIN,
            "x-forwarded-for": "10.1.1.1",
            ...headers,
          },
          body: JSON.stringify(body),
        }),
        { auth: s.auth, limiter: s.limiter, trustedOrigins: s.env.trustedOrigins },
      );
    const signUp = (username: string, password: string) =>
      auth("/sign-up/email", { username, password, name: username, email: `${username}@users.comaster.invalid` });
    const cookieOf = (r: Response) => (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    beforeAll(async () => {
      if (skip) return;
      const limiter = new SignInLimiter({ windowMs: 60_000, perPair: 3, perAccount: 20, perAddress: 100 });
      s = await openTestServices(provider, {}, limiter);
    }, 120_000);
    afterAll(async () => {
      if (!skip) await s?.close();
    });

    it.skipIf(skip)("sign up and sign in by username: an http-only session cookie that tRPC accepts", async () => {
      const up = await signUp("Maya_Teacher", "correct horse battery");
      expect(up.status).toBe(200);
      const row = await s.db.user.findUniqueOrThrow({ where: { username: "maya_teacher" } });
      expect(row.displayName).toBe("Maya_Teacher");
      const account = await s.db.account.findFirstOrThrow({ where: { userId: row.id } });
      expect(account.password).toMatch(/^scrypt\$/);
      expect(account.password).not.toContain("correct horse");

      const res = await auth("/sign-in/username", { username: "maya_teacher", password: "correct horse battery" });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get("set-cookie") ?? "";
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const mine = await handleTrpcRequest(
        new Request(`${TEST_ORIGIN}/api/trpc/classes.mine`, { headers: { cookie: cookieOf(res) } }),
        s,
      );
      expect(mine.status).toBe(200);
      expect(await mine.json()).toEqual({ result: { data: [] } });
    });

    it.skipIf(skip)("refuses a short password and a taken username with readable messages", async () => {
      const short = await signUp("shorty", "1234");
      expect(short.status).toBe(400);
      expect(JSON.stringify(await short.json())).toMatch(/short/i);
      await signUp("taken_name", "long enough pw");
      const again = await signUp("Taken_Name", "another long pw");
      expect(again.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(await again.json())).toMatch(/taken|exists/i);
    });

    it.skipIf(skip)("rate-limits wrong passwords per account and address without locking out the class", async () => {
      await signUp("pupil_a", "pupil a password");
      await signUp("pupil_b", "pupil b password");
      for (let i = 0; i < 3; i++) {
        expect((await auth("/sign-in/username", { username: "pupil_a", password: "wrong guess!" })).status).toBe(401);
      }
      const limited = await auth("/sign-in/username", { username: "pupil_a", password: "pupil a password" });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/Try again in/);
      // Same school address, another pupil: fine. Same pupil from home: fine.
      expect((await auth("/sign-in/username", { username: "pupil_b", password: "pupil b password" })).status).toBe(200);
      expect(
        (
          await auth(
            "/sign-in/username",
            { username: "pupil_a", password: "pupil a password" },
            { "x-forwarded-for": "10.2.2.2" },
          )
        ).status,
      ).toBe(200);
    });

    it.skipIf(skip)("checks Origin on auth, tRPC mutations (and lets queries through)", async () => {
      const foreign = await auth(
        "/sign-in/username",
        { username: "x", password: "y" },
        { origin: "https://evil.example" },
      );
      expect(foreign.status).toBe(403);
      const none = await handleAuthRequest(
        new Request(`${TEST_ORIGIN}/api/auth/sign-up/email`, { method: "POST", body: "{}" }),
        { auth: s.auth, limiter: s.limiter, trustedOrigins: s.env.trustedOrigins },
      );
      expect(none.status).toBe(403);
      const mutation = await handleTrpcRequest(
        new Request(`${TEST_ORIGIN}/api/trpc/classes.create`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://evil.example" },
          body: JSON.stringify({ name: "x" }),
        }),
        s,
      );
      expect(mutation.status).toBe(403);
      expect(await s.db.class.count({ where: { name: "x" } })).toBe(0);
      const query = await handleTrpcRequest(new Request(`${TEST_ORIGIN}/api/trpc/classes.mine`), s);
      expect(query.status).toBe(401);
    });

    it.skipIf(skip)("bounds the size of a tRPC batch", async () => {
      const calls = (n: number) => Array.from({ length: n }, () => "shares.view").join(",");
      const input = (n: number) =>
        encodeURIComponent(
          JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { token: "t" }]))),
        );
      const ok = await handleTrpcRequest(
        new Request(`${TEST_ORIGIN}/api/trpc/${calls(MAX_BATCH_SIZE)}?batch=1&input=${input(MAX_BATCH_SIZE)}`),
        s,
      );
      expect(ok.status).toBe(404); // every call answered: the links do not exist
      const tooMany = await handleTrpcRequest(
        new Request(`${TEST_ORIGIN}/api/trpc/${calls(MAX_BATCH_SIZE + 1)}?batch=1&input=${input(MAX_BATCH_SIZE + 1)}`),
        s,
      );
      expect(tooMany.status).toBe(400);
    });

    it.skipIf(skip)("masks unexpected errors in production: no database message reaches the browser", async () => {
      const failing = new Proxy(s.db, {
        get(target, prop) {
          if (prop === "shareLink") {
            return {
              findFirst: () => Promise.reject(new Error('SQLITE_ERROR: no such table "ShareLink" at /srv/secret/path')),
            };
          }
          return Reflect.get(target, prop);
        },
      });
      const quiet = console.error;
      console.error = () => {};
      try {
        for (const production of [true, false]) {
          const res = await handleTrpcRequest(
            new Request(
              `${TEST_ORIGIN}/api/trpc/shares.view?input=${encodeURIComponent(JSON.stringify({ token: "t" }))}`,
            ),
            { ...s, db: failing, env: { ...s.env, production } },
          );
          expect(res.status).toBe(500);
          const text = await res.text();
          if (production) {
            expect(text).not.toMatch(/SQLITE|secret|stack/i);
            expect(text).toMatch(/Something went wrong on our side/);
          } else {
            expect(text).toMatch(/SQLITE_ERROR/);
          }
        }
      } finally {
        console.error = quiet;
      }
    });
  },
);
