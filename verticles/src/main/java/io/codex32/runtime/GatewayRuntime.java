package io.codex32.runtime;

import io.codex32.config.AuthConfig;
import io.codex32.config.GatewayConfig;
import io.codex32.live.LiveState;
import io.codex32.security.JwtKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;

/**
 * A running gateway on a Vert.x instance: what its start bound, and how it ends. {@link #start}
 * opens the store, the keys and the live state, wires the services ({@link GatewayServices}) and
 * starts them in order ({@link GatewayStartup}). Used by the gateway's main and by tests, so both
 * run the same wiring.
 */
public final class GatewayRuntime {

  private final Vertx vertx;
  private final GatewayServices services;
  private final int httpPort;
  private final int mqttPort;
  private final String generatedAdminPassword;
  private final List<Long> timers;

  GatewayRuntime(Vertx vertx, GatewayServices services, int httpPort, int mqttPort, String generatedAdminPassword, List<Long> timers) {
    this.vertx = vertx;
    this.services = services;
    this.httpPort = httpPort;
    this.mqttPort = mqttPort;
    this.generatedAdminPassword = generatedAdminPassword;
    this.timers = timers;
  }

  /** The store and the live state are closed again when a later step fails. */
  public static Future<GatewayRuntime> start(Vertx vertx, GatewayConfig config) {
    Clock clock = Clock.systemUTC();
    return vertx.executeBlocking(() -> Files.createDirectories(config.dataDir()))
        .compose(dir -> ConfiguredStore.open(vertx, config))
        .compose(store -> vertx.executeBlocking(() -> keys(config))
            .compose(keys -> LiveState.open(vertx, config.redis(), clock)
                .compose(live -> new GatewayStartup(vertx, config, GatewayServices.wire(vertx, config, store, live, keys, clock), clock)
                    .run()
                    .onFailure(failure -> live.close())))
            .onFailure(failure -> store.close()));
  }

  private static JwtKeys keys(GatewayConfig config) {
    AuthConfig auth = config.auth();
    return JwtKeys.loadOrCreate(config.dataDir(), auth.jwtPrivateKey(), auth.jwtPublicKey());
  }

  public int httpPort() {
    return httpPort;
  }

  public int mqttPort() {
    return mqttPort;
  }

  /** The password generated for {@code admin} on this first start, or {@code null}. */
  public String generatedAdminPassword() {
    return generatedAdminPassword;
  }

  /** Undeploys the verticles, then closes the store (releasing the data directory lock) and the live state. */
  public Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    services.nodes().close();
    services.leadership().close();
    return Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(ignored -> Future.join(services.store().close(), services.live().close()))
        .mapEmpty();
  }
}
