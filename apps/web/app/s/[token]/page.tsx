import { bytes, db as dbText, FORMAT_LABELS } from "../../../src/components/format";
import { Figure } from "../../../src/components/ui";
import { services } from "../../../src/server/services";
import { activeShare } from "../../../src/server/trpc/routers/shares";

export const dynamic = "force-dynamic";
export const metadata = { title: "Shared master", robots: { index: false } };

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { db } = await services();
  const share = await activeShare(db, token).catch(() => null);
  if (!share) {
    return (
      <div className="mx-auto max-w-xl py-12 text-center">
        <h1 className="text-2xl font-semibold">This link no longer works</h1>
        <p className="mt-3 text-zinc-400">It has expired or was turned off by its owner. Ask them for a new link.</p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-2xl space-y-6 py-6">
      <div>
        <p className="text-sm text-zinc-400">Shared master</p>
        <h1 className="text-2xl font-semibold">{share.projectName}</h1>
        <p className="text-zinc-300">{share.versionLabel}</p>
      </div>
      {/* biome-ignore lint/a11y/useMediaCaption: a music master has no captions */}
      <audio
        controls
        preload="metadata"
        src={`${share.fileUrl}?inline`}
        className="w-full"
        aria-label={`Play ${share.projectName}`}
      />
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Figure
          label="Loudness"
          value={dbText(share.integratedLufs, "LUFS")}
          note={`target ${dbText(share.targetLufs, "LUFS")}`}
        />
        <Figure label="True peak" value={dbText(share.truePeakDbtp, "dBTP")} />
        <Figure label="Format" value={FORMAT_LABELS[share.format] ?? share.format} />
        <Figure label="Size" value={bytes(share.byteSize)} />
      </dl>
      <a
        href={share.fileUrl}
        download
        className="inline-block rounded-md bg-sky-500 px-4 py-2 font-medium text-zinc-950 hover:bg-sky-400"
      >
        Download
      </a>
      {share.expiresAt && (
        <p className="text-sm text-zinc-400">This link works until {share.expiresAt.toUTCString()}.</p>
      )}
    </div>
  );
}
