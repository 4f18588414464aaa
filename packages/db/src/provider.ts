/** The two databases the data layer supports: SQLite (embedded default) and PostgreSQL (scale path). */
export type DbProvider = "sqlite" | "postgresql";

export class DbConfigError extends Error {
  override name = "DbConfigError";
  constructor(
    readonly code: "UNSUPPORTED_URL",
    message: string,
  ) {
    super(message);
  }
}

/** Which provider a `DATABASE_URL` selects; anything else is a configuration error, not a guess. */
export function providerFromUrl(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  const scheme = url.split(":", 1)[0] ?? "";
  throw new DbConfigError(
    "UNSUPPORTED_URL",
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${scheme}:"`,
  );
}
