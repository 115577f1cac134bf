package io.codex32.ws;

import io.codex32.config.WsConfig;
import io.codex32.security.AuthService;
import io.vertx.core.Vertx;

/**
 * What every HTTP verticle instance shares for {@code /ws/events}: the authenticator, the settings
 * and the process-wide connection counts. Each instance makes its own {@link EventsEndpoint}.
 */
public record EventsApi(AuthService auth, WsConfig config, ConnectionLimits limits) {

  public static EventsApi create(AuthService auth, WsConfig config) {
    return new EventsApi(auth, config, new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerUser()));
  }

  /** Call on the verticle's context: the endpoint's consumers belong to it. */
  public EventsEndpoint endpoint(Vertx vertx) {
    return new EventsEndpoint(vertx, auth, config, limits);
  }
}
