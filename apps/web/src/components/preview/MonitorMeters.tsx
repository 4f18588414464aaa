"use client";
/**
 * The monitoring stage on the preview's output: the `comaster-monitor` worklet goes between the
 * preview's output and the speakers. It meters the master (momentary and short-term loudness, held
 * true peak, correlation, a 1/3-octave spectrum) and then applies "listen as" — phone, earbuds, car,
 * mono, a streaming platform's turn-down — to what reaches the speakers only. Nothing here is part of
 * the chain document, so nothing here can reach an export.
 */
import { useEffect, useRef, useState } from "react";
import type { FromMonitor, ToMonitor } from "../../preview/monitor/monitorMessages";
import { MONITOR_PROCESSOR_NAME } from "../../preview/monitor/monitorMessages";
import type { ListenAsMode, StreamingPlatform } from "../../preview/monitor/monitorStage";
import type { MeterReading } from "../../preview/monitor/previewMeters";
import type { MeterTap } from "./PreviewPanel";
import { SpectrumView } from "./SpectrumView";

const MONITOR_URL = "/worklets/monitor-worklet.js";

const MODES: { mode: ListenAsMode; label: string }[] = [
  { mode: "off", label: "Studio (as mastered)" },
  { mode: "phone", label: "Phone speaker" },
  { mode: "earbuds", label: "Earbuds" },
  { mode: "car", label: "Car" },
  { mode: "mono", label: "Mono" },
  { mode: "platform", label: "Streaming platform" },
];
const PLATFORMS: { platform: StreamingPlatform; label: string }[] = [
  { platform: "spotify", label: "Spotify (−14 LUFS)" },
  { platform: "youtube", label: "YouTube (−14 LUFS)" },
  { platform: "apple", label: "Apple Music (−16 LUFS)" },
  { platform: "tidal", label: "Tidal (−14 LUFS)" },
  { platform: "amazon", label: "Amazon Music (−14 LUFS)" },
];

const fmt = (v: number | null, unit: string, digits = 1) =>
  v === null || !Number.isFinite(v) ? "—" : `${v.toFixed(digits).replace("-", "\u2212")} ${unit}`.trim();

/** Loaded once per audio context. */
const loaded = new WeakMap<BaseAudioContext, Promise<void>>();

export function MonitorMeters({ tap, programmeLufs }: { tap: MeterTap; programmeLufs: number | null }) {
  const node = useRef<AudioWorkletNode | null>(null);
  const [reading, setReading] = useState<MeterReading | null>(null);
  const [mode, setMode] = useState<ListenAsMode>("off");
  const [platform, setPlatform] = useState<StreamingPlatform>("spotify");
  const [error, setError] = useState<string | null>(null);
  // The settings as of now, for a node created later.
  const settings = useRef({ mode, platform, programmeLufs });
  settings.current = { mode, platform, programmeLufs };
  const { context, output } = tap;

  useEffect(() => {
    let monitor: AudioWorkletNode | null = null;
    let cancelled = false;
    let pending = loaded.get(context);
    if (!pending) {
      pending = context.audioWorklet.addModule(MONITOR_URL);
      loaded.set(context, pending);
    }
    pending
      .then(() => {
        if (cancelled) return;
        monitor = new AudioWorkletNode(context, MONITOR_PROCESSOR_NAME, {
          numberOfInputs: 1,
          numberOfOutputs: 1,
          outputChannelCount: [2],
          processorOptions: settings.current,
        });
        monitor.port.onmessage = (e: MessageEvent<FromMonitor>) => {
          if (e.data.type === "meters") setReading(e.data);
          else setError(e.data.message);
        };
        // output → monitor → speakers (instead of output → speakers)
        output.disconnect();
        output.connect(monitor).connect(context.destination);
        node.current = monitor;
      })
      .catch((err: unknown) => setError(`The meters could not start: ${String(err)}`));
    return () => {
      cancelled = true;
      node.current = null;
      if (monitor) {
        monitor.port.onmessage = null;
        output.disconnect();
        monitor.disconnect();
        output.connect(context.destination);
      }
    };
  }, [context, output]);

  useEffect(() => {
    const post = (message: ToMonitor) => node.current?.port.postMessage(message);
    post({ type: "setMode", mode });
    post({ type: "setPlatform", platform });
    post({ type: "setProgrammeLoudness", lufs: programmeLufs });
  }, [mode, platform, programmeLufs]);

  return (
    <div className="space-y-3" data-testid="monitor">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {[
          ["Momentary", fmt(reading?.momentaryLufs ?? null, "LUFS")],
          ["Short-term", fmt(reading?.shortTermLufs ?? null, "LUFS")],
          ["True peak", fmt(reading?.truePeakDbtp ?? null, "dBTP")],
          ["Correlation", fmt(reading?.correlation ?? null, "", 2)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md bg-zinc-950/60 px-3 py-2">
            <dt className="text-[11px] uppercase tracking-wide text-zinc-500">{label}</dt>
            <dd className="font-mono text-sm text-zinc-100" data-testid={`meter-${label}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <SpectrumView spectrumDb={reading?.spectrumDb ?? null} />
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="text-zinc-300">
          Listen as
          <select
            className="ml-2 rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1"
            value={mode}
            onChange={(e) => setMode(e.target.value as ListenAsMode)}
          >
            {MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {mode === "platform" && (
          <label className="text-zinc-300">
            Platform
            <select
              className="ml-2 rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1"
              value={platform}
              onChange={(e) => setPlatform(e.target.value as StreamingPlatform)}
            >
              {PLATFORMS.map((p) => (
                <option key={p.platform} value={p.platform}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="text-xs text-zinc-500">Monitoring only: never part of a render.</span>
      </div>
      {error && <p className="text-sm text-red-300">{error}</p>}
    </div>
  );
}
