// Accounts and sessions through better-auth: username + password (students often have no e-mail),
// sessions in http-only cookies, our scrypt hashes (packages/db/src/passwords.ts) so that accounts
// made by the seed or by a teacher's bulk creation sign in the same way.
import { type Db, type DbProvider, hashPassword, verifyPassword } from "@comaster/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { username } from "better-auth/plugins";
import type { WebEnv } from "../env";

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/i;
export const MIN_PASSWORD_LENGTH = 8;

export interface AuthOptions {
  readonly db: Db;
  readonly provider: DbProvider;
  readonly env: Pick<WebEnv, "baseUrl" | "trustedOrigins" | "authSecret" | "production">;
}

export function createAuth(options: AuthOptions) {
  const { db, provider, env } = options;
  const auth = betterAuth({
    appName: "Comaster",
    baseURL: env.baseUrl,
    secret: env.authSecret,
    trustedOrigins: [...env.trustedOrigins],
    database: prismaAdapter(db, { provider }),
    user: { fields: { name: "displayName" } },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
      autoSignIn: true,
      password: {
        hash: (password) => hashPassword(password),
        verify: ({ hash, password }) => verifyPassword(password, hash),
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
    },
    plugins: [
      username({
        minUsernameLength: 3,
        maxUsernameLength: 32,
        usernameValidator: (name) => USERNAME_PATTERN.test(name),
      }),
    ],
    // Sign-in is limited by our own per-account-and-address limiter (signInLimiter.ts), since the
    // library's limiter keys by address only and a class behind one school address would lock itself
    // out. Sign-up keeps a per-address limit that a class can still live with.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/username": false,
        "/sign-in/email": false,
        "/sign-up/email": { window: 60, max: 60 },
      },
    },
    advanced: {
      useSecureCookies: env.baseUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: false },
    },
    telemetry: { enabled: false },
    logger: { level: "error" },
  });
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

/** The e-mail address better-auth requires, for a user who has none (RFC 2606 reserves `.invalid`). */
export { placeholderEmail } from "@comaster/db";
