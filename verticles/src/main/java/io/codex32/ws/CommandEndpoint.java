package io.codex32.ws;

import io.codex32.security.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/command/{user}}: authenticated like {@code /ws/events} (401), only for the user the
 * path names (403: a socket speaks for one person, whose permissions and audit trail it carries),
 * within the same per-user connection limit (429), then handed to a {@link ChatConnection}.
 */
public final class CommandEndpoint {

  public static final String PREFIX = "/ws/command/";

  private static final Logger LOG = LoggerFactory.getLogger(CommandEndpoint.class);

  private final Vertx vertx;
  private final CommandApi api;

  CommandEndpoint(Vertx vertx, CommandApi api) {
    this.vertx = vertx;
    this.api = api;
  }

  public void handshake(ServerWebSocketHandshake handshake) {
    String user = URLDecoder.decode(handshake.path().substring(PREFIX.length()), StandardCharsets.UTF_8);
    String token = WsTokens.from(handshake.headers(), handshake.query());
    if (token == null) {
      handshake.reject(401);
      return;
    }
    api.auth().authenticateBearer(token).onComplete(result -> {
      if (result.failed()) {
        LOG.debug("chat upgrade from {} refused: {}", handshake.remoteAddress(), result.cause().toString());
        handshake.reject(401);
      } else if (!result.result().subject().equals(user) || result.result().kind() != Principal.Kind.USER) {
        LOG.info("chat upgrade of {} for /ws/command/{} refused: a socket speaks only for its own user", result.result().subject(), user);
        handshake.reject(403);
      } else {
        admit(handshake, result.result(), token);
      }
    });
  }

  private void admit(ServerWebSocketHandshake handshake, Principal principal, String token) {
    String user = principal.subject();
    if (!api.limits().tryAcquire(user)) {
      LOG.info("chat upgrade of {} refused: connection limit reached", user);
      handshake.reject(429);
      return;
    }
    String source = handshake.remoteAddress() == null ? null : handshake.remoteAddress().hostAddress();
    handshake.accept()
        .onSuccess(ws -> new ChatConnection(vertx, ws, principal, token, source, api, () -> api.limits().release(user)).start())
        .onFailure(e -> api.limits().release(user));
  }
}
