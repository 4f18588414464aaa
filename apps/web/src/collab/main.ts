/**
 * Entry of the collaboration server process (`node apps/web/dist/collab.mjs`, built by `build-collab.mjs`): reads its settings,
 * opens the database and serves `/collab/<projectId>` until SIGINT/SIGTERM.
 *
 * Settings: COLLAB_SECRET (≥ 16 characters, shared with the web app that signs tokens), COLLAB_PORT
 * (default 3001), COLLAB_HOST (default 127.0.0.1), DATABASE_URL, and the allowed origins: the web
 * app's (COMASTER_BASE_URL / PORT / COMASTER_TRUSTED_ORIGINS, as the web server reads them).
 */
import { createDb, providerFromUrl } from "@comaster/db";
import { SqliteChainDocLog } from "@comaster/db/chain-doc-log";
import { readWebEnv } from "../server/env";
import { startCollabServer } from "./collabServer";
import { prismaCheckMembership, prismaInitialChain } from "./prismaCollabDeps";
import { PrismaRoomStore } from "./prismaRoomStore";
import type { RoomStore } from "./roomStore";
import { SqliteRoomStore } from "./sqliteRoomStore";

async function main(): Promise<void> {
  const env = readWebEnv();
  const secret = env.collabSecret;
  const port = env.collabPort;
  const host = process.env.COLLAB_HOST?.trim() || "127.0.0.1";
  const db = await createDb(env.databaseUrl);
  // SQLite: appends on a synchronous connection of their own (one INSERT, no event-loop hop per edit).
  const log = providerFromUrl(env.databaseUrl) === "sqlite" ? new SqliteChainDocLog(env.databaseUrl) : null;
  const store: RoomStore = log ? new SqliteRoomStore(log) : new PrismaRoomStore(db);
  const server = await startCollabServer({
    port,
    host,
    secret,
    allowedOrigins: env.trustedOrigins,
    store,
    checkMembership: prismaCheckMembership(db),
    initialChain: prismaInitialChain(db),
    onEvent: (event) => console.log(JSON.stringify({ collab: event })),
  });
  console.log(`collaboration server on ${server.url}`);
  const stop = async (signal: string) => {
    console.log(`${signal}: closing rooms`);
    await server.close();
    await log?.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
