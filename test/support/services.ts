import { findSoundfont, servicesRequired, which } from "../../scripts/lib/tools.mjs";
import { pgAdminUrl, postgresReachable } from "./databases";

/**
 * Outside tools a suite needs. Missing ones skip the suite with a loud warning on a developer's
 * machine, and fail it under .ci/run (COMASTER_REQUIRE_SERVICES=1), which installs them all.
 */
export function needTools(
  suite: string,
  tools: readonly ("ffmpeg" | "fluidsynth" | "soundfont" | "mkfifo")[],
): boolean {
  const missing = tools.filter((t) => (t === "soundfont" ? !findSoundfont() : !which(t)));
  if (missing.length === 0) return true;
  const message = `${suite}: needs ${missing.join(", ")} (apt-get install ffmpeg fluidsynth fluid-soundfont-gm)`;
  if (servicesRequired) throw new Error(`${message} — required because COMASTER_REQUIRE_SERVICES=1`);
  console.warn(`\n!!! SKIPPED ${message}\n`);
  return false;
}

/** The same rule for the test PostgreSQL (127.0.0.1:5432): skip loudly, or fail under .ci/run. */
export async function needPostgres(suite: string): Promise<boolean> {
  if (await postgresReachable()) return true;
  const message = `${suite}: needs PostgreSQL at ${pgAdminUrl} (trust auth)`;
  if (servicesRequired) throw new Error(`${message} — required because COMASTER_REQUIRE_SERVICES=1`);
  console.warn(`\n!!! SKIPPED ${message}\n`);
  return false;
}
