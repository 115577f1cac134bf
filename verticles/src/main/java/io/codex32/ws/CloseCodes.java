package io.codex32.ws;

/**
 * The close codes {@code /ws/events} uses (docs/api.md). Private-use codes (4000–4999) mirror the
 * HTTP status a REST client would get, so they read without a table.
 */
final class CloseCodes {

  /** The token expired, was revoked (logout, password change) or its user was disabled or deleted. */
  static final short TOKEN_INVALID = 4401;
  /** The client read too slowly: its queue kept overflowing for longer than ws.slow_consumer_close_ms. */
  static final short TOO_SLOW = 4008;
  /** A client message over {@link EventsEndpoint#MAX_FRAME_BYTES} (RFC 6455). */
  static final short MESSAGE_TOO_BIG = 1009;
  /** No pong (nor any other frame) within ws.pong_timeout_ms. */
  static final short PONG_TIMEOUT = 4408;

  private CloseCodes() {
  }
}
