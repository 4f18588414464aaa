"use client";
/**
 * The project's live room: one Y.Doc holding the shared chain, kept in sync with the collaboration
 * server by a stock y-websocket provider, plus presence (who is here, which control they touch) and
 * this person's own undo history.
 *
 * Connection policy: every (re)connect asks `collab.session` for a fresh token (they live 120 s),
 * so the provider's own reconnect loop is switched off and this hook drives it with a backoff.
 * Close codes (apps/web/src/collab/closeCodes.ts): 4401 → new token, reconnect at once; 4403 /
 * 4404 → stop and say why; 4429 → wait longer; anything else → back off and retry. The doc is
 * never destroyed on disconnect: edits made offline stay in it and merge when the socket is back.
 */
import {
  type Chain,
  createUndoManager,
  docToChain,
  isModuleType,
  MODULE_SPECS,
  type ModuleType,
  readChain,
} from "@comaster/chain";
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { useTRPCClient } from "../trpc";

export type CollabStatus = "connecting" | "online" | "offline" | "refused";
export type CollabRole = "editor" | "viewer";

/** Which control a person is on: a module, and optionally one of its parameters. */
export interface Focus {
  moduleId: string;
  paramKey: string | null;
}

/** A person's identity as the server stamps it on their presence. */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  role: CollabRole;
}

/** One connected tab (a person with two tabs open appears twice, with one user id). */
export interface Peer {
  clientId: number;
  user: PresenceUser;
  focus: Focus | null;
  /** This tab. */
  self: boolean;
}

/** A module as the side panels (versions, comments) name it. */
export interface RoomModule {
  id: string;
  type: ModuleType;
  label: string;
}

export interface CollabRoom {
  /** The shared document (for `restoreChain`, comments anchored to modules…). Never replaced while mounted. */
  doc: Y.Doc;
  /** Pass to every edit operation so the undo manager tracks it as this person's edit. */
  origin: object;
  /** The chain, validated, re-read on every change; `null` until the first sync or while invalid. */
  chain: Chain | null;
  /** Why the shared document does not read as a valid chain right now (a merge the server will refuse). */
  chainError: string | null;
  /** id, type and label of every module, in chain order. */
  modules: RoomModule[];
  status: CollabStatus;
  /** Why the room refused this person (status `refused`). */
  refusal: string | null;
  /** The document matches the server's (the last connection finished its sync). */
  synced: boolean;
  /** Synced at least once since mount: from then on local edits are safe, online or not. */
  loaded: boolean;
  role: CollabRole | null;
  /** Editing allowed: loaded, not refused, and not a viewer. */
  canEdit: boolean;
  self: PresenceUser | null;
  /** Everyone in the room, this tab included (`self: true`), ordered by name. */
  peers: Peer[];
  setFocus(focus: Focus | null): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  /** Groups every edit until `endGesture` into one undo step (a knob drag). */
  beginGesture(): void;
  endGesture(): void;
  /** Ends the current undo step so the next edit starts a new one. */
  stopCapturing(): void;
  /**
   * Tells the room that something outside the chain document changed (a comment, a version): the
   * others' `news[topic]` changes and their page refetches. Carried in awareness: nothing is stored.
   */
  announce(topic: NewsTopic): void;
  /** A number that changes whenever anyone in the room announces `topic` (a React key / effect dep). */
  news: Record<NewsTopic, number>;
}

/** What a page can announce to the room. */
export type NewsTopic = "comments" | "versions";
const NEWS_TOPICS: readonly NewsTopic[] = ["comments", "versions"];

/** Edits closer together than this (ms) share an undo step outside gestures (wheel turns, key repeats). */
const CAPTURE_TIMEOUT_MS = 500;
const MAX_BACKOFF_MS = 15_000;
const RATE_LIMIT_WAIT_MS = 5_000;

const CLOSE_REASONS: Record<number, string> = {
  4403: "You are not a member of this project's class, so you cannot join its live desk.",
  4404: "This project no longer exists.",
};

function trpcCode(err: unknown): string | undefined {
  return (err as { data?: { code?: unknown } } | null)?.data?.code as string | undefined;
}

function refusalOf(err: unknown): string | null {
  switch (trpcCode(err)) {
    case "UNAUTHORIZED":
      return "Your session has ended. Sign in again to join the live desk.";
    case "FORBIDDEN":
      return CLOSE_REASONS[4403]!;
    case "NOT_FOUND":
      return CLOSE_REASONS[4404]!;
    default:
      return null;
  }
}

/** The sum of everyone's announcement counters per topic: it changes when anyone announces. */
function readNews(awareness: Awareness): Record<NewsTopic, number> {
  const news = { comments: 0, versions: 0 };
  awareness.getStates().forEach((state) => {
    const counters = (state as { news?: Partial<Record<NewsTopic, unknown>> }).news;
    for (const topic of NEWS_TOPICS) {
      const n = counters?.[topic];
      if (typeof n === "number" && Number.isFinite(n)) news[topic] += n;
    }
  });
  return news;
}

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: Partial<PresenceUser> }).user;
    if (!user || typeof user.id !== "string" || typeof user.name !== "string") return;
    const f = (state as { focus?: Partial<Focus> | null }).focus;
    const focus =
      f && typeof f.moduleId === "string"
        ? { moduleId: f.moduleId, paramKey: typeof f.paramKey === "string" ? f.paramKey : null }
        : null;
    peers.push({
      clientId,
      user: {
        id: user.id,
        name: user.name,
        color: typeof user.color === "string" ? user.color : "#a1a1aa",
        role: user.role === "viewer" ? "viewer" : "editor",
      },
      focus,
      self: clientId === awareness.clientID,
    });
  });
  return peers.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
}

function readModules(doc: Y.Doc): RoomModule[] {
  const out: RoomModule[] = [];
  for (const m of docToChain(doc).modules) {
    const { id, type } = (m ?? {}) as { id?: unknown; type?: unknown };
    if (typeof id === "string" && isModuleType(type)) out.push({ id, type, label: MODULE_SPECS[type].label });
  }
  return out;
}

interface DocView {
  chain: Chain | null;
  chainError: string | null;
  modules: RoomModule[];
}

function readDoc(doc: Y.Doc, previous: Chain | null): DocView {
  const modules = readModules(doc);
  if (modulesEmptyAndUnversioned(doc)) return { chain: null, chainError: null, modules };
  try {
    return { chain: readChain(doc), chainError: null, modules };
  } catch (err) {
    // Keep showing the last valid chain; the server refuses the merge that made it invalid.
    return { chain: previous, chainError: err instanceof Error ? err.message : String(err), modules };
  }
}

function modulesEmptyAndUnversioned(doc: Y.Doc): boolean {
  const json = docToChain(doc);
  return json.modules.length === 0 && json.schemaVersion === undefined;
}

export function useCollabRoom(projectId: string): CollabRoom {
  const client = useTRPCClient();
  // One document per project for the life of the component; a new project gets a new document.
  const doc = useMemo(() => {
    void projectId;
    return new Y.Doc();
  }, [projectId]);
  // This tab's edit origin: the undo manager tracks exactly the transactions tagged with it.
  const originRef = useRef<object>({ desk: "local edit" });
  const undoRef = useRef<Y.UndoManager | null>(null);
  const awarenessRef = useRef<Awareness | null>(null);

  const [view, setView] = useState<DocView>(() => readDoc(doc, null));
  const [status, setStatus] = useState<CollabStatus>("connecting");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [synced, setSynced] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [role, setRole] = useState<CollabRole | null>(null);
  const [self, setSelf] = useState<PresenceUser | null>(null);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [news, setNews] = useState<Record<NewsTopic, number>>({ comments: 0, versions: 0 });
  const [stacks, setStacks] = useState({ canUndo: false, canRedo: false });

  // The chain view follows the document, local and remote edits alike. A remote edit re-renders the
  // page as a transition: that yields to the event loop, so what is time-critical (the preview
  // worklet's messages, the next update, this person's own input) is never stuck behind it; the
  // worklet hears edits without React. This person's own edits render at once (the knob under the hand).
  useEffect(() => {
    setView((v) => readDoc(doc, v.chain));
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      const show = () => setView((v) => readDoc(doc, v.chain));
      if (origin instanceof WebsocketProvider) startTransition(show);
      else show();
    };
    doc.on("update", onUpdate);
    return () => doc.off("update", onUpdate);
  }, [doc]);

  // This person's undo history.
  useEffect(() => {
    const um = createUndoManager(doc, originRef.current, { captureTimeout: CAPTURE_TIMEOUT_MS });
    undoRef.current = um;
    const onStack = () => setStacks({ canUndo: um.canUndo(), canRedo: um.canRedo() });
    um.on("stack-item-added", onStack);
    um.on("stack-item-popped", onStack);
    um.on("stack-cleared", onStack);
    onStack();
    return () => {
      undoRef.current = null;
      um.destroy();
    };
  }, [doc]);

  // The connection.
  useEffect(() => {
    let disposed = false;
    let everOnline = false;
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let provider: WebsocketProvider | null = null;
    const awareness = new Awareness(doc);
    awarenessRef.current = awareness;
    awareness.setLocalState({ focus: null });
    const onAwareness = () => {
      setPeers(readPeers(awareness));
      setNews((before) => {
        const after = readNews(awareness);
        return NEWS_TOPICS.every((t) => before[t] === after[t]) ? before : after;
      });
    };
    awareness.on("change", onAwareness);

    const refuse = (message: string) => {
      clearTimeout(timer);
      setStatus("refused");
      setRefusal(message);
    };

    const schedule = (delay: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void connect(), delay);
    };

    const backoff = () => {
      attempts++;
      const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempts);
      return base * (0.5 + Math.random() / 2);
    };

    const onStatus = ({ status: s }: { status: "connected" | "disconnected" | "connecting" }) => {
      if (disposed) return;
      if (s === "connected") {
        everOnline = true;
        setStatus("online");
      } else if (s === "disconnected") setStatus("offline");
    };

    const onSync = (isSynced: boolean) => {
      if (disposed) return;
      setSynced(isSynced);
      if (isSynced) {
        attempts = 0;
        setLoaded(true);
      }
    };

    const onClose = (event: CloseEvent | null) => {
      if (disposed || !provider) return;
      // This hook reconnects, with a fresh token: stop the provider's own (stale-token) retry.
      provider.shouldConnect = false;
      setSynced(false);
      const code = event?.code ?? 0;
      const reason = CLOSE_REASONS[code];
      if (reason) return refuse(reason);
      setStatus(everOnline || attempts > 0 ? "offline" : "connecting");
      if (code === 4401 && attempts === 0) {
        attempts++;
        return schedule(0); // the token expired between fetch and connect: one immediate retry
      }
      const wait = backoff();
      schedule(code === 4429 ? Math.max(RATE_LIMIT_WAIT_MS, wait) : wait);
    };

    async function connect(): Promise<void> {
      if (disposed) return;
      let session: Awaited<ReturnType<typeof client.collab.session.mutate>>;
      try {
        session = await client.collab.session.mutate({ projectId });
      } catch (err) {
        if (disposed) return;
        const why = refusalOf(err);
        if (why) return refuse(why);
        setStatus(everOnline || attempts > 0 ? "offline" : "connecting");
        return schedule(backoff());
      }
      if (disposed) return;
      setRole(session.role);
      const user: PresenceUser = { ...session.user, role: session.role };
      setSelf(user);
      awareness.setLocalStateField("user", user);
      const base =
        session.url ??
        `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.hostname}:${session.port}/collab`;
      if (!provider) {
        provider = new WebsocketProvider(base, projectId, doc, {
          connect: false,
          awareness,
          params: { token: session.token },
          disableBc: true, // every tab goes through the server, which checks its role and its edits
          shouldReconnect: () => false,
        });
        provider.on("status", onStatus);
        provider.on("sync", onSync);
        provider.on("connection-close", onClose);
      } else {
        provider.serverUrl = base.replace(/\/+$/, "");
        provider.params = { token: session.token };
      }
      provider.connect();
    }

    const onOnline = () => {
      if (!disposed && !provider?.wsconnected && !provider?.wsconnecting) {
        attempts = 0;
        schedule(0);
      }
    };
    window.addEventListener("online", onOnline);
    void connect();

    return () => {
      disposed = true;
      clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      awareness.off("change", onAwareness);
      provider?.destroy();
      awareness.destroy();
      if (awarenessRef.current === awareness) awarenessRef.current = null;
    };
  }, [client, doc, projectId]);

  const setFocus = useCallback((focus: Focus | null) => {
    const awareness = awarenessRef.current;
    if (!awareness) return;
    const current = (awareness.getLocalState() as { focus?: Focus | null } | null)?.focus ?? null;
    if (current?.moduleId === focus?.moduleId && current?.paramKey === focus?.paramKey) return;
    awareness.setLocalStateField("focus", focus);
  }, []);

  const announce = useCallback((topic: NewsTopic) => {
    const awareness = awarenessRef.current;
    if (!awareness) return;
    const counters = (awareness.getLocalState() as { news?: Record<NewsTopic, number> } | null)?.news;
    awareness.setLocalStateField("news", {
      comments: 0,
      versions: 0,
      ...counters,
      [topic]: (counters?.[topic] ?? 0) + 1,
    });
  }, []);

  const undo = useCallback(() => void undoRef.current?.undo(), []);
  const redo = useCallback(() => void undoRef.current?.redo(), []);
  const stopCapturing = useCallback(() => undoRef.current?.stopCapturing(), []);
  const beginGesture = useCallback(() => {
    const um = undoRef.current;
    if (!um) return;
    um.stopCapturing();
    um.captureTimeout = Number.POSITIVE_INFINITY;
  }, []);
  const endGesture = useCallback(() => {
    const um = undoRef.current;
    if (!um) return;
    um.captureTimeout = CAPTURE_TIMEOUT_MS;
    um.stopCapturing();
  }, []);

  return {
    doc,
    origin: originRef.current,
    chain: view.chain,
    chainError: view.chainError,
    modules: view.modules,
    status,
    refusal,
    synced,
    loaded,
    role,
    canEdit: loaded && status !== "refused" && role !== "viewer",
    self,
    peers,
    setFocus,
    undo,
    redo,
    canUndo: stacks.canUndo,
    canRedo: stacks.canRedo,
    beginGesture,
    endGesture,
    stopCapturing,
    announce,
    news,
  };
}
