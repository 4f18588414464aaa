// A minimal y-websocket client for load tests: one `ws` socket, the y-protocols sync exchange into a
// Y.Doc, and one awareness state (what a WebsocketProvider sends on connect), without the provider's
// timers and reconnects. Resolves once the server's sync step 2 arrived (the client is synced).
import { webRequire } from "./collabServers.mjs";

const Y = webRequire("yjs");
const syncProtocol = webRequire("y-protocols/sync");
const awarenessProtocol = webRequire("y-protocols/awareness");
const encoding = webRequire("lib0/encoding");
const decoding = webRequire("lib0/decoding");
const WebSocket = webRequire("ws");

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/**
 * Connects one client to `url` (ws://…/collab/<room>?token=…) and syncs it.
 * @param {string} url
 * @param {{ origin: string, seed?: Uint8Array, awareness?: object, timeoutMs?: number }} options
 * @returns {Promise<{ doc: any, ws: any, close(): void }>}
 */
export function connectClient(url, { origin, seed, awareness: state, timeoutMs = 30_000 }) {
  const doc = new Y.Doc();
  if (seed) Y.applyUpdate(doc, seed);
  const awareness = new awarenessProtocol.Awareness(doc);
  clearInterval(awareness._checkInterval); // no 3-s timer per client: the load holds thousands
  awareness.setLocalState(state ?? {});
  const ws = new WebSocket(url, { headers: { origin }, perMessageDeflate: false });
  ws.binaryType = "arraybuffer";
  const send = (encoder) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(encoding.toUint8Array(encoder));
  };
  doc.on("update", (update, origin_) => {
    if (origin_ === ws) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    send(encoder);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no sync within ${timeoutMs} ms`)), timeoutMs);
    let done = false;
    const fail = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    ws.on("open", () => {
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(step1, doc);
      send(step1);
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
      send(aw);
    });
    ws.on("message", (data) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        const sub = syncProtocol.readSyncMessage(decoder, reply, doc, ws);
        if (encoding.length(reply) > 1) send(reply);
        if (sub === syncProtocol.messageYjsSyncStep2 && !done) {
          done = true;
          clearTimeout(timer);
          resolve({
            doc,
            ws,
            close() {
              ws.terminate();
              awareness.destroy();
              doc.destroy();
            },
          });
        }
      } else if (type === MESSAGE_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), ws);
      }
    });
    ws.on("close", (code, reason) => fail(new Error(`closed ${code} ${reason}`)));
    ws.on("error", (error) => fail(error));
  });
}
