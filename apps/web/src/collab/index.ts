/**
 * The collaboration server (a Node module, not part of the Next bundle): tokens, the WebSocket
 * server speaking the y-websocket protocol, rooms, and their persistence. `main.ts` runs it.
 */
export { CLOSE } from "./closeCodes";
export {
  type CollabServer,
  type CollabServerOptions,
  createCollabHandler,
  DEFAULT_MAX_PAYLOAD_BYTES,
  startCollabServer,
} from "./collabServer";
export {
  type CollabClaims,
  type CollabIdentity,
  type CollabRole,
  signCollabToken,
  verifyCollabToken,
} from "./collabToken";
export { PrismaRoomStore } from "./prismaRoomStore";
export { MemoryRoomStore, type RoomStore } from "./roomStore";
