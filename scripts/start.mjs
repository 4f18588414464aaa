#!/usr/bin/env node
// `pnpm start` (after build and seed): the web app and one render worker, side by side. Ctrl-C or
// SIGTERM stops both (the worker hands back or finishes its job); if one exits, the other is stopped.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Started directly (not through pnpm) so that signals reach the processes themselves.
const web = join(root, "apps/web");
const children = [
  spawn(process.execPath, [join(web, "node_modules/next/dist/bin/next"), "start", "-p", process.env.PORT ?? "3000"], {
    cwd: web,
    stdio: "inherit",
  }),
  spawn(process.execPath, [join(root, "apps/render-worker/dist/worker.js")], { cwd: root, stdio: "inherit" }),
];
let stopping = false;
const stopAll = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exitCode = code;
};
for (const c of children) c.on("exit", (code) => stopAll(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));
