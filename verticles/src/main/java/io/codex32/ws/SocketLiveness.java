package io.codex32.ws;

import io.codex32.config.WsConfig;
import io.codex32.error.Codex32Exception;
import io.codex32.security.AuthService;
import io.codex32.security.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What keeps a server WebSocket honest on both endpoints: a ping every {@code ws.ping_interval_ms}
 * and a close when nothing was heard for {@code ws.pong_timeout_ms}; the token re-checked every
 * {@code ws.auth_recheck_ms} (logout, password change, a disabled user end the connection; otherwise
 * the fresh principal is handed on, its role may have changed); and a close when the token expires.
 * Runs on the socket's event loop.
 */
final class SocketLiveness {

  /** How the connection closes itself. */
  interface Closer {
    void close(short code, String reason);
  }

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String token;
  private final AuthService auth;
  private final WsConfig config;
  private final Closer closer;
  private final Consumer<Principal> rechecked;
  private final Runnable everyPing;
  private final List<Long> timers = new ArrayList<>();
  private long lastHeard = System.currentTimeMillis();
  private boolean stopped;

  SocketLiveness(Vertx vertx, ServerWebSocket ws, String token, AuthService auth, WsConfig config, Closer closer,
      Consumer<Principal> rechecked, Runnable everyPing) {
    this.vertx = vertx;
    this.ws = ws;
    this.token = token;
    this.auth = auth;
    this.config = config;
    this.closer = closer;
    this.rechecked = rechecked;
    this.everyPing = everyPing;
  }

  void start() {
    timers.add(vertx.setPeriodic(config.pingIntervalMs(), id -> keepAlive()));
    timers.add(vertx.setPeriodic(config.authRecheckMs(), id -> recheck()));
    Instant expiry = WsTokens.expiry(token);
    if (expiry != null) {
      long delay = Math.max(1, expiry.toEpochMilli() - System.currentTimeMillis());
      timers.add(vertx.setTimer(delay, id -> closer.close(CloseCodes.TOKEN_INVALID, "token expired")));
    }
  }

  /** Any frame from the client counts as a sign of life, not only pongs. */
  void heard() {
    lastHeard = System.currentTimeMillis();
  }

  void stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
  }

  private void keepAlive() {
    if (System.currentTimeMillis() - lastHeard > config.pongTimeoutMs()) {
      closer.close(CloseCodes.PONG_TIMEOUT, "no pong");
      return;
    }
    everyPing.run();
    if (!stopped) {
      ws.writePing(Buffer.buffer("codex32"));
    }
  }

  private void recheck() {
    auth.authenticateBearer(token).onComplete(result -> {
      if (stopped) {
        return;
      }
      if (result.failed()) {
        String code = result.cause() instanceof Codex32Exception e ? e.code() : "invalid_token";
        closer.close(CloseCodes.TOKEN_INVALID, code.replace('_', ' '));
      } else {
        rechecked.accept(result.result());
      }
    });
  }
}
