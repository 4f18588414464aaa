// Debian's Chromium for the browser tests and benches (never a downloaded browser), and the flags
// they launch it with.
import { existsSync } from "node:fs";

export const CHROMIUMS = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** COMASTER_CHROMIUM, else the first of CHROMIUMS that exists, else null. */
export function chromiumPath() {
  return process.env.COMASTER_CHROMIUM ?? CHROMIUMS.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  "--disable-dev-shm-usage",
  "--autoplay-policy=no-user-gesture-required",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
