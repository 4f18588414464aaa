"use client";
/**
 * A/B in the preview: pick a saved version as B and switch between A (the live shared chain) and B
 * while the mix plays — the B key too. Both chains run side by side on the same pieces of the mix,
 * each at its own loudness target, and the switch is a short crossfade (preview/abMix.ts).
 */
import type { Chain } from "@comaster/chain";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorText, useTRPC } from "../../client/trpc";
import type { PreviewEngine, PreviewSnapshot } from "../../preview/previewEngine";
import { Button, ErrorMessage } from "../ui";

const signed = (db: number) => `${db >= 0 ? "+" : "\u2212"}${Math.abs(db).toFixed(1)} dB`;

export function AbCompare({
  projectId,
  engine,
  snapshot: s,
}: {
  projectId: string;
  engine: PreviewEngine | null;
  snapshot: PreviewSnapshot | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.versions.list.queryOptions({ projectId }));
  const [picking, setPicking] = useState<string | null>(null);
  const [error, setError] = useState("");
  const selectId = useId();
  const b = s?.versionB ?? null;
  const listening = s?.listening ?? "A";

  async function pick(versionId: string) {
    if (!engine) return;
    setError("");
    if (versionId === "") return engine.setVersionB(null);
    setPicking(versionId);
    try {
      const v = await queryClient.fetchQuery(trpc.versions.get.queryOptions({ versionId }));
      engine.setVersionB({ id: v.id, label: v.label, chain: v.chain as Chain });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setPicking(null);
    }
  }

  const list = versions.data ?? [];
  return (
    <fieldset
      className="flex flex-wrap items-center gap-3"
      data-testid="preview-ab"
      data-listening={listening}
      data-version-b={b?.id}
    >
      <legend className="sr-only">A/B: the live chain against a saved version</legend>
      <label htmlFor={selectId} className="text-sm text-zinc-300">
        B is
      </label>
      <select
        id={selectId}
        data-testid="preview-version-b"
        value={picking ?? b?.id ?? ""}
        disabled={!engine || picking !== null}
        onChange={(e) => void pick(e.target.value)}
        className="rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm text-zinc-100 disabled:text-zinc-500"
      >
        <option value="">{list.length === 0 ? "No saved version yet" : "No version"}</option>
        {list.map((v) => (
          <option key={v.id} value={v.id}>
            {v.label}
          </option>
        ))}
      </select>
      <div className="flex gap-1">
        {(["A", "B"] as const).map((side) => (
          <Button
            key={side}
            variant={listening === side ? "primary" : "secondary"}
            data-testid={`preview-listen-${side.toLowerCase()}`}
            aria-pressed={listening === side}
            disabled={!engine || (side === "B" && b === null)}
            onClick={() => engine?.listen(side)}
            title={
              side === "A"
                ? "Hear the live chain (B toggles)"
                : b
                  ? `Hear version "${b.label}" (B toggles)`
                  : "Pick a saved version to compare"
            }
          >
            {side === "A" ? "A · live" : `B${b ? ` · ${b.label}` : ""}`}
          </Button>
        ))}
      </div>
      {b && (
        <span
          className="text-xs text-zinc-500"
          data-testid="preview-b-loudness-gain"
          data-source={b.loudnessSource}
          title="Each chain plays at its own loudness target, with the gain its export applies (measured on the server; estimated until then)."
        >
          B loudness gain {signed(b.loudnessGainDb)}
          {b.loudnessSource === "measured" ? " · measured" : " · measuring…"}
        </span>
      )}
      <ErrorMessage>{error}</ErrorMessage>
    </fieldset>
  );
}
