package io.codex32.runtime;

import io.codex32.config.HttpConfig;
import io.codex32.executor.ExecutorVerticle;
import io.codex32.gpio.GpioVerticle;
import io.codex32.http.NodeHttpVerticle;
import io.codex32.microphone.LocalMicrophone;
import io.codex32.nodes.NodeHeartbeatVerticle;
import io.codex32.voice.VoiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every node runs, the gateway's own node and an edge node alike: its GPIO (with
 * {@code gpio.enabled}), the executor of its bots, the heartbeat that announces it and its
 * speech-to-text; and, on a
 * node without the gateway's HTTP verticles, its own HTTP server.
 */
public final class NodeRuntime {

  private final Vertx vertx;
  private final Clock clock;

  public NodeRuntime(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Serves {@code /health} (the JSON {@code health} completes with), Prometheus {@code /metrics} and
   * the dashboard; completes with the port bound.
   */
  public Future<Integer> serveHttp(HttpConfig http, Supplier<Future<JsonObject>> health) {
    NodeHttpVerticle verticle = new NodeHttpVerticle(http, health);
    return vertx.deployVerticle(verticle).map(id -> verticle.actualPort());
  }

  /**
   * Deploys the GPIO, then the executor, then the heartbeat, which reports the executor's bots, and
   * last the speech-to-text (loading a Vosk model may take seconds: bots do not wait for it; with
   * {@code voice.engine} off or no engine installed it only answers status requests), then, when
   * enabled, the local microphone.
   * The GPIO comes first so that outputs are in their initial (safe) state before any bot starts or
   * is adopted, and a node whose pins cannot be opened stops before it runs bots. {@code botTokens}
   * issues the token a bot gets as CODEX32_BOT_TOKEN (null on a node that cannot sign tokens).
   */
  public Future<Void> start(NodeSettings settings, Function<String, Future<String>> botTokens) {
    return deployGpio(settings)
        .compose(gpio -> ExecutorVerticle.create(vertx, settings.executorSettings(), botTokens, clock))
        .compose(vertx::deployVerticle)
        .compose(executor -> NodeHeartbeatVerticle.deploy(vertx, settings.node(), clock))
        .compose(heartbeat -> VoiceVerticle.deploy(vertx, settings.node().id(), settings.voice()))
        .compose(voice -> deployMicrophone(settings))
        .mapEmpty();
  }

  /** With {@code voice.microphone.enabled}: the local microphone, after the voice verticle it listens with. */
  private Future<Void> deployMicrophone(NodeSettings settings) {
    if (!settings.microphone().enabled()) {
      return Future.succeededFuture();
    }
    return LocalMicrophone.deploy(vertx, settings.node().id(), settings.microphone(), settings.voice()).mapEmpty();
  }

  private Future<Void> deployGpio(NodeSettings settings) {
    if (!settings.gpio().enabled()) {
      return Future.succeededFuture();
    }
    return GpioVerticle.deploy(vertx, settings.node().id(), settings.gpio(), clock).mapEmpty();
  }
}
