import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "./spawnCli";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comaster-spawn-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function script(body: string): Promise<string> {
  const path = join(dir, `cli-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(path, body);
  return path;
}

describe("spawnCli", () => {
  it("runs the script with the arguments and returns its exit code and output", async () => {
    const cli = await script("process.stdout.write(JSON.stringify(process.argv.slice(2))); process.exitCode = 3;");
    const r = await spawnCli(cli, ["gain", "a b"], { timeoutMs: 10_000 });
    expect(r).toMatchObject({ kind: "exited", code: 3, stdout: '["gain","a b"]' });
  });

  it("runs background work at the niceness asked for", async () => {
    const cli = await script('import { getPriority } from "node:os"; process.stdout.write(String(getPriority()));');
    const r = await spawnCli(cli, [], { timeoutMs: 10_000, nice: 10 });
    expect(r.kind === "exited" && Number(r.stdout)).toBe(10);
    const normal = await spawnCli(cli, [], { timeoutMs: 10_000 });
    expect(normal.kind === "exited" && Number(normal.stdout)).toBe(0);
  });

  it("kills a child that runs too long, prints too much, or is aborted", async () => {
    const forever = await script("setInterval(() => {}, 1000);");
    expect(await spawnCli(forever, [], { timeoutMs: 200 })).toMatchObject({ kind: "timeout" });
    const chatty = await script('process.stdout.write("x".repeat(4096));');
    expect(await spawnCli(chatty, [], { timeoutMs: 10_000, maxStdout: 1000 })).toMatchObject({
      kind: "too-much-output",
    });
    const abort = new AbortController();
    const run = spawnCli(forever, [], { timeoutMs: 10_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    expect(await run).toMatchObject({ kind: "exited", signal: "SIGKILL" });
  });
});
