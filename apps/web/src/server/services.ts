// The server's long-lived objects (database client, blob store, job queue, auth), made once per
// process. Kept on globalThis so that `next dev`'s module reloads do not open a client per edit.
import { type BlobStore, createDb, type Db, LocalBlobStore, PrismaJobQueue, providerFromUrl } from "@comaster/db";
import { type Auth, createAuth } from "./auth/auth";
import { SignInLimiter } from "./auth/signInLimiter";
import { readWebEnv, type WebEnv } from "./env";
import { GainMeasurer } from "./preview/gainMeasurer";
import { createCliGainMeasurer } from "./preview/measureGainWithCli";

/** The render worker's job payload (apps/render-worker/src/jobs/runRenderJob.ts RenderJobPayload). */
export interface RenderPayload {
  readonly versionId: string;
  readonly assetId: string;
  readonly format: string;
  readonly targetLufs: number;
  readonly options: { readonly format: string; readonly targetLufs: number };
}

export interface Services {
  readonly env: WebEnv;
  readonly db: Db;
  readonly store: BlobStore;
  readonly queue: PrismaJobQueue<RenderPayload>;
  readonly auth: Auth;
  readonly limiter: SignInLimiter;
  /** The loudness gain of chains on mixes, measured by the CLI (`comaster gain`) and stored. */
  readonly gains: GainMeasurer;
}

const holder = globalThis as unknown as { __comaster?: Promise<Services> };

export function services(): Promise<Services> {
  holder.__comaster ??= open().catch((err) => {
    holder.__comaster = undefined;
    throw err;
  });
  return holder.__comaster;
}

async function open(): Promise<Services> {
  const env = readWebEnv();
  const db = await createDb(env.databaseUrl);
  const provider = providerFromUrl(env.databaseUrl);
  const store = new LocalBlobStore(env.storageDir);
  const queue = new PrismaJobQueue<RenderPayload>(db, { provider });
  const auth = createAuth({ db, provider, env });
  const gains = new GainMeasurer({ db, measure: createCliGainMeasurer() });
  return { env, db, store, queue, auth, limiter: new SignInLimiter(), gains };
}
