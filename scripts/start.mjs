#!/usr/bin/env node
// `pnpm start` (after build and seed): the web app, the collaboration server and one render worker, side by side. Ctrl-C or
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
  spawn(process.execPath, [join(web, "dist/collab.mjs")], { cwd: root, stdio: "inherit" }),
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

// Once the web app answers, say where it is and how to sign in.
const port = process.env.PORT ?? "3000";
const url = (process.env.COMASTER_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
const deadline = Date.now() + 120_000;
while (!stopping && Date.now() < deadline) {
  const up = await fetch(`http://127.0.0.1:${port}/sign-in`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) {
    console.log(
      `\n  Comaster is running: ${url}\n` +
        "  demo logins: teacher / teacher-demo · student1, student2 / student-demo\n" +
        "  Ctrl-C stops the web app, the collaboration server and the render worker.\n",
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
