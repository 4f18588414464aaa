"use client";
// One PreviewEngine per (page, mix), made once the shared chain is first valid and following the
// shared document from then on. The engine (and Tone, which it imports dynamically) exists only in
// the browser: everything happens in effects. The page holds the engine (`usePreviewEngine`: the
// desk and the preview panel both use it); only the panel follows its state (`usePreviewSnapshot`),
// so a change of transport or an applied edit re-renders the panel, not the whole page.
import type { Chain } from "@comaster/chain";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import { PreviewEngine, type PreviewSnapshot } from "./previewEngine";

export interface PreviewMix {
  readonly id: string;
  readonly sampleRate: number;
  readonly integratedLufs: number | null;
}

export interface PreviewHandle {
  readonly engine: PreviewEngine | null;
  /** Why the engine could not start (no AudioWorklet, fetch failed…). */
  readonly error: string | null;
}

const noop = () => () => {};
const none = () => null;

export function usePreviewEngine(mix: PreviewMix | null, doc: Y.Doc, chain: Chain | null): PreviewHandle {
  const [engine, setEngine] = useState<PreviewEngine | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(chain);
  latest.current = chain;
  const ready = chain !== null;
  const mixId = mix?.id ?? null;
  const sampleRate = mix?.sampleRate;
  const mixLufs = mix?.integratedLufs ?? null;

  useEffect(() => {
    const start = latest.current;
    if (!mixId || !ready || !start) return;
    let disposed = false;
    let made: PreviewEngine | null = null;
    let stop: (() => void) | null = null;
    setError(null);
    PreviewEngine.create({ url: `/api/assets/${mixId}/file`, chain: start, mixLufs, sampleRate }).then(
      (e) => {
        if (disposed) return e.dispose();
        made = e;
        stop = e.follow(doc);
        // Edits made while the engine was starting: catch up with one load.
        if (latest.current && latest.current !== start) e.load(latest.current);
        e.exposeTestHook();
        setEngine(e);
      },
      (err: unknown) => {
        if (!disposed) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      disposed = true;
      stop?.();
      made?.dispose();
      setEngine(null);
    };
  }, [mixId, ready, doc, mixLufs, sampleRate]);

  return { engine, error };
}

/** The engine's state (transport, A/B, last applied edit…), re-rendering on every change. */
export function usePreviewSnapshot(engine: PreviewEngine | null): PreviewSnapshot | null {
  return useSyncExternalStore(
    engine ? (l) => engine.subscribe(l) : noop,
    engine ? () => engine.snapshot() : none,
    none,
  );
}
