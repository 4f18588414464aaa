"use client";
/**
 * The live mastering desk: the project's chain as a left-to-right signal flow, edited together in
 * real time. Every edit goes through the validated operations of @comaster/chain with this tab's
 * origin, so undo only ever reverts this person's own changes.
 */
import {
  addModule,
  applyPreset,
  type ChainModule,
  CURRENT_SCHEMA_VERSION,
  createChainDoc,
  MODULE_SPECS,
  MODULE_TYPES,
  type ModuleType,
  moveModule,
  type ParamValue,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  removeModule,
  setBypass,
  setParam,
} from "@comaster/chain";
import { type FocusEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import type { CollabRoom } from "../../client/collab/useCollabRoom";
import type { GainReductionReadings } from "../../preview/gainReductionReadings";
import { Button, Card, EmptyState, ErrorMessage } from "../ui";
import { ModuleCard } from "./ModuleCard";
import { PresenceBar, StatusPill } from "./Presence";

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Module types that can be added to `modules` without breaking a chain rule (tried on a scratch copy). */
function addableTypes(modules: readonly ChainModule[]): ModuleType[] {
  return MODULE_TYPES.filter((type) => {
    try {
      const probe = createChainDoc({ schemaVersion: CURRENT_SCHEMA_VERSION, modules: [...modules] });
      addModule(probe, type);
      return true;
    } catch {
      return false;
    }
  });
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "INPUT";
}

export function Desk({
  room,
  gainReduction = null,
  sampleRate = null,
}: {
  room: CollabRoom;
  /** The preview's gain reduction readings, shown on the dynamics modules while it plays. */
  gainReduction?: GainReductionReadings | null;
  /** The mix's sample rate (the rate its render runs at): the EQ curve is drawn at it. */
  sampleRate?: number | null;
}) {
  const { doc, origin, chain, canEdit } = room;
  const [error, setError] = useState<string | null>(null);
  const [preset, setPreset] = useState<PresetName>("streaming");
  const [menuOpen, setMenuOpen] = useState(false);
  const presetId = useId();
  const menuId = useId();
  const menuRef = useRef<HTMLDivElement>(null);
  const modules = chain?.modules ?? [];

  /** Runs one discrete edit as its own undo step; a refused edit shows its reason. */
  const edit = (fn: () => void): boolean => {
    try {
      room.stopCapturing();
      fn();
      room.stopCapturing();
      setError(null);
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };

  const onParam = (module: ChainModule, key: string, value: ParamValue): string | null => {
    try {
      if (typeof value !== "number") room.stopCapturing();
      setParam(doc, module.id, key, value, origin);
      return null;
    } catch (err) {
      return messageOf(err);
    }
  };

  // Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo — this person's edits only.
  const { undo, redo } = room;
  useEffect(() => {
    if (!canEdit) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || isTextEntry(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) undo();
      else if ((key === "z" && e.shiftKey) || (key === "y" && e.ctrlKey)) redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canEdit, undo, redo]);

  // The add menu closes on Escape and on a click outside it.
  useEffect(() => {
    if (!menuOpen) return;
    const onDown = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setMenuOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [menuOpen]);

  const addable = useMemo(() => (menuOpen && chain ? addableTypes(chain.modules) : []), [menuOpen, chain]);

  const onStripBlur = (e: FocusEvent<HTMLElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) room.setFocus(null);
  };

  return (
    <Card
      title="Mastering desk"
      actions={
        <div className="flex flex-wrap items-center gap-3">
          <PresenceBar peers={room.peers} />
          <StatusPill status={room.status} synced={room.synced} />
        </div>
      }
    >
      <div className="space-y-4" data-testid="desk">
        {room.status === "refused" && (
          <ErrorMessage>{room.refusal ?? "The live desk refused this session."}</ErrorMessage>
        )}
        {room.role === "viewer" && (
          <p className="rounded-md border border-zinc-700 bg-zinc-950/60 px-3 py-2 text-sm text-zinc-300">
            You are listening in: you see every change live, but only editors can change the chain.
          </p>
        )}
        <div className="flex flex-wrap items-end gap-3" role="toolbar" aria-label="Desk tools">
          <div>
            <label htmlFor={presetId} className="block text-xs text-zinc-400">
              Start from
            </label>
            <div className="mt-1 flex gap-2">
              <select
                id={presetId}
                value={preset}
                disabled={!canEdit}
                onChange={(e) => setPreset(e.target.value as PresetName)}
                title={PRESETS[preset].description}
                className="rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400 disabled:text-zinc-500"
              >
                {PRESET_NAMES.map((n) => (
                  <option key={n} value={n} title={PRESETS[n].description}>
                    {PRESETS[n].label}
                  </option>
                ))}
              </select>
              <Button
                variant="secondary"
                disabled={!canEdit}
                onClick={() => edit(() => applyPreset(doc, preset, {}, origin))}
                title={`Set every module to the ${PRESETS[preset].label} settings (undo brings yours back)`}
              >
                Apply
              </Button>
            </div>
          </div>
          <div className="relative" ref={menuRef}>
            <Button
              variant="secondary"
              disabled={!canEdit || !chain}
              aria-expanded={menuOpen}
              aria-controls={menuId}
              onClick={() => setMenuOpen(!menuOpen)}
            >
              Add module <span aria-hidden="true">{"\u25be"}</span>
            </Button>
            {menuOpen && (
              <ul
                id={menuId}
                className="absolute left-0 z-30 mt-1 max-h-80 w-64 overflow-auto rounded-lg border border-zinc-700 bg-zinc-900 p-1 shadow-xl"
              >
                {addable.length === 0 && (
                  <li className="px-3 py-2 text-sm text-zinc-400">The chain rules allow no other module here.</li>
                )}
                {addable.map((type) => (
                  <li key={type}>
                    <button
                      type="button"
                      // biome-ignore lint/a11y/noAutofocus: the first choice takes focus when the list opens
                      autoFocus={type === addable[0]}
                      data-testid={`add-${type}`}
                      onClick={() => {
                        if (edit(() => addModule(doc, type, undefined, origin))) setMenuOpen(false);
                      }}
                      className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-zinc-800 focus-visible:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-400"
                    >
                      <span className="block text-zinc-100">{MODULE_SPECS[type].label}</span>
                      <span className="block text-xs text-zinc-400">{MODULE_SPECS[type].description}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="flex gap-1">
            <Button
              variant="ghost"
              disabled={!canEdit || !room.canUndo}
              onClick={() => room.undo()}
              title="Undo your last change (Ctrl+Z). Other people's changes stay."
              data-testid="undo"
            >
              Undo
            </Button>
            <Button
              variant="ghost"
              disabled={!canEdit || !room.canRedo}
              onClick={() => room.redo()}
              title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
              data-testid="redo"
            >
              Redo
            </Button>
          </div>
        </div>
        {error && (
          <div className="flex items-start gap-2" data-testid="desk-error">
            <div className="flex-1 whitespace-pre-line">
              <ErrorMessage>{error}</ErrorMessage>
            </div>
            <Button variant="ghost" onClick={() => setError(null)}>
              Dismiss
            </Button>
          </div>
        )}
        {room.chainError && (
          <p className="rounded-md border border-amber-900 bg-amber-950/40 px-3 py-2 text-sm text-amber-200">
            Two changes crossed and the merged chain breaks a rule; the server will keep the last valid chain.{" "}
            {room.chainError}
          </p>
        )}
        {!room.loaded && room.status !== "refused" ? (
          <p className="text-sm text-zinc-400" aria-live="polite">
            Loading the shared chain…
          </p>
        ) : room.loaded && modules.length === 0 ? (
          <EmptyState title="The chain is empty">
            Choose a starting point above and press Apply, or add modules one by one.
          </EmptyState>
        ) : (
          modules.length > 0 && (
            <ol
              aria-label="Signal flow, input to output"
              onBlur={onStripBlur}
              className="flex items-start gap-2 overflow-x-auto pb-3"
            >
              <FlowEnd text="In" />
              {modules.map((m, i) => (
                <li key={m.id} className="flex shrink-0 items-start gap-2">
                  <Arrow />
                  <ModuleCard
                    module={m}
                    index={i}
                    count={modules.length}
                    canEdit={canEdit}
                    peers={room.peers.filter((p) => !p.self && p.focus?.moduleId === m.id)}
                    gainReduction={gainReduction}
                    sampleRate={sampleRate}
                    onBypass={(b) => edit(() => setBypass(doc, m.id, b, origin))}
                    onMove={(to) => edit(() => moveModule(doc, m.id, to, origin))}
                    onRemove={() => edit(() => removeModule(doc, m.id, origin))}
                    onParam={(key, value) => onParam(m, key, value)}
                    onGestureStart={room.beginGesture}
                    onGestureEnd={room.endGesture}
                    onFocus={(paramKey) => room.setFocus({ moduleId: m.id, paramKey })}
                  />
                </li>
              ))}
              <li className="flex shrink-0 items-start gap-2">
                <Arrow />
                <span className="mt-2 rounded-full border border-zinc-700 px-3 py-1 text-xs text-zinc-400">Out</span>
              </li>
            </ol>
          )
        )}
      </div>
    </Card>
  );
}

function FlowEnd({ text }: { text: string }) {
  return <li className="mt-2 shrink-0 rounded-full border border-zinc-700 px-3 py-1 text-xs text-zinc-400">{text}</li>;
}

function Arrow() {
  return (
    <span aria-hidden="true" className="mt-2 text-lg leading-none text-zinc-600">
      {"\u2192"}
    </span>
  );
}
