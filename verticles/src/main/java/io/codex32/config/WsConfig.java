package io.codex32.config;

/**
 * The WebSocket events API ({@code /ws/events}): connection limits, keep-alive, how often a
 * connection's token is re-checked, and how much a slow client may fall behind before it is closed.
 * The intervals are configurable (in milliseconds) so that tests can run them in seconds.
 */
public record WsConfig(int maxConnections, int maxConnectionsPerUser, int maxSubscriptions, int maxQueuedMessages,
    long slowConsumerCloseMs, long pingIntervalMs, long pongTimeoutMs, long authRecheckMs) {

  static WsConfig from(Settings s) {
    WsConfig config = new WsConfig(
        (int) s.number("ws.max_connections", 1, 1_000_000),
        (int) s.number("ws.max_connections_per_user", 1, 1_000_000),
        (int) s.number("ws.max_subscriptions", 1, 10_000),
        (int) s.number("ws.max_queued_messages", 10, 1_000_000),
        s.number("ws.slow_consumer_close_ms", 100, 3_600_000),
        s.number("ws.ping_interval_ms", 100, 3_600_000),
        s.number("ws.pong_timeout_ms", 100, 3_600_000),
        s.number("ws.auth_recheck_ms", 100, 3_600_000));
    if (config.pongTimeoutMs <= config.pingIntervalMs) {
      throw new ConfigException("ws.pong_timeout_ms", "must be longer than ws.ping_interval_ms (" + config.pingIntervalMs + ")");
    }
    return config;
  }
}
