// Child process of `pnpm bench collab` (memory part): holds many synced clients open so that the
// bench process's own memory stays out of the figures. The parent sends one job over IPC:
// { url, origin, seed?, rooms: [{ room, tokens: [string|null, …] }], parallelRooms }; the first client
// of each room connects first (with `seed` applied: how a stock room gets its document), then the
// others at once. Replies { connected, failed, errors, seconds }, then holds the sockets until told to stop.
import { connectClient } from "./collabClient.mjs";

process.once("message", async (job) => {
  const t0 = performance.now();
  const clients = [];
  const errors = [];
  let failed = 0;
  const connect = async (room, token, seed) => {
    const query = token ? `?token=${token}` : "";
    try {
      clients.push(
        await connectClient(`${job.url}/${room}${query}`, {
          origin: job.origin,
          seed,
          awareness: { cursor: { moduleId: "limiter" } },
        }),
      );
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push(`${room}: ${error.message}`);
    }
  };
  const queue = [...job.rooms];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [first, ...rest] = next.tokens;
      await connect(next.room, first, job.seed ? new Uint8Array(job.seed) : undefined);
      await Promise.all(rest.map((token) => connect(next.room, token)));
    }
  };
  await Promise.all(Array.from({ length: job.parallelRooms ?? 4 }, worker));
  process.send({ connected: clients.length, failed, errors, seconds: (performance.now() - t0) / 1000 });
  process.once("message", () => {
    for (const client of clients) client.close();
    process.exit(0);
  });
});
process.on("disconnect", () => process.exit(0));
