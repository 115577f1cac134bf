package io.codex32.ws;

import io.codex32.config.WsConfig;
import io.codex32.security.AuthService;
import io.codex32.security.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/events} on one HTTP verticle instance: authenticates the upgrade request before it
 * is accepted (401 otherwise), applies the connection limits (429), then hands the socket to a
 * {@link WsConnection}. One per verticle instance, with its own {@link Fanout}.
 */
public final class EventsEndpoint {

  public static final String PATH = "/ws/events";
  /** Largest frame and message a client may send; subscriptions are small. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);

  private final Vertx vertx;
  private final AuthService auth;
  private final WsConfig config;
  private final ConnectionLimits limits;
  private final Fanout fanout;

  EventsEndpoint(Vertx vertx, AuthService auth, WsConfig config, ConnectionLimits limits) {
    this.vertx = vertx;
    this.auth = auth;
    this.config = config;
    this.limits = limits;
    this.fanout = new Fanout(vertx);
  }

  /** The server options WebSockets need: frame limits, and the sub-protocol answered to browsers. */
  public static HttpServerOptions configure(HttpServerOptions options) {
    return options.setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(MAX_FRAME_BYTES)
        .setWebSocketSubProtocols(List.of(WsTokens.PROTOCOL));
  }

  public void handshake(ServerWebSocketHandshake handshake) {
    if (!PATH.equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    String token = WsTokens.from(handshake.headers(), handshake.query());
    if (token == null) {
      handshake.reject(401);
      return;
    }
    auth.authenticateBearer(token).onComplete(result -> {
      if (result.failed()) {
        LOG.debug("websocket upgrade from {} refused: {}", handshake.remoteAddress(), result.cause().toString());
        handshake.reject(401);
      } else {
        admit(handshake, result.result(), token);
      }
    });
  }

  private void admit(ServerWebSocketHandshake handshake, Principal principal, String token) {
    String user = principal.subject();
    if (!limits.tryAcquire(user)) {
      LOG.info("websocket upgrade of {} refused: connection limit reached", user);
      handshake.reject(429);
      return;
    }
    handshake.accept()
        .onSuccess(ws -> new WsConnection(vertx, ws, principal, token, auth, config, fanout, () -> limits.release(user)).start())
        .onFailure(e -> limits.release(user));
  }
}
