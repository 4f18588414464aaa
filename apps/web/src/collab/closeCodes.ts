/**
 * WebSocket close codes of the collaboration server. The 44xx codes mirror HTTP 4xx: a stock
 * y-websocket client does not reconnect after them (it emits `closed` with the code).
 */
export const CLOSE = {
  /** The server is shutting down or the room closed; the client may reconnect. */
  GOING_AWAY: 1001,
  /** A message larger than the server's limit (what `ws` sends for `maxPayload`). */
  TOO_LARGE: 1009,
  /** The server failed (e.g. the store refused a write); the client may reconnect and resync. */
  INTERNAL_ERROR: 1011,
  /** A message the server cannot decode. */
  MALFORMED: 4400,
  /** No token, a bad signature, a malformed or an expired token. */
  UNAUTHORIZED: 4401,
  /** The token is for another project, or the user is not a member of this one. */
  FORBIDDEN: 4403,
  /** No such project. */
  NOT_FOUND: 4404,
  /** More messages per second than the limit allows. */
  RATE_LIMITED: 4429,
} as const;
