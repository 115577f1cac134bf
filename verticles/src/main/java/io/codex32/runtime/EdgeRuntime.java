package io.codex32.runtime;

import io.codex32.cluster.ClusterLink;
import io.codex32.config.EdgeNodeConfig;
import io.codex32.voice.VoiceClient;
import io.codex32.voice.VoiceHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * An edge node on a Vert.x of its own, never clustered, so that it starts, adopts and supervises its
 * bots whether or not a gateway is reachable. Start-up: the {@link ClusterLink} (with
 * {@code cluster.enabled}), the HTTP server, the GPIO (with {@code gpio.enabled}), the executor, the heartbeat.
 */
public final class EdgeRuntime {

  /** The node cannot sign bot tokens: a gateway's start command brings each bot's token. */
  private static final Function<String, Future<String>> NO_BOT_TOKENS = botId -> Future.succeededFuture(null);

  private final Vertx vertx;
  private final int httpPort;

  private EdgeRuntime(Vertx vertx, int httpPort) {
    this.vertx = vertx;
    this.httpPort = httpPort;
  }

  public static Future<EdgeRuntime> start(Vertx vertx, EdgeNodeConfig config) {
    Optional<ClusterLink> link = config.cluster().enabled()
        ? Optional.of(new ClusterLink(config.cluster(), config.nodeId(), config.eventBuffer(), config.rejoinIntervalMs()))
        : Optional.empty();
    NodeRuntime node = new NodeRuntime(vertx, Clock.systemUTC());
    return deployLink(vertx, link)
        .compose(v -> node.serveHttp(config.http(), () -> health(config.nodeId(), link, new VoiceHealth(new VoiceClient(vertx),
            config.nodeId()))))
        .compose(port -> node.start(nodeSettings(config), NO_BOT_TOKENS).map(port))
        .map(port -> new EdgeRuntime(vertx, port));
  }

  /** Before the executor, so that the link keeps the events of the bots the executor adopts at start. */
  private static Future<Void> deployLink(Vertx vertx, Optional<ClusterLink> link) {
    return link.map(verticle -> vertx.deployVerticle(verticle).<Void>mapEmpty()).orElse(Future.succeededFuture());
  }

  /**
   * {@code {"status":"up","node":"<id>","voice":{...}}}, with the link's {@code "cluster"} status when
   * there is a link; {@code voice}: the node's engine and why it cannot run (informative only).
   */
  private static Future<JsonObject> health(String nodeId, Optional<ClusterLink> link, VoiceHealth voice) {
    JsonObject health = new JsonObject().put("status", "up").put("node", nodeId);
    return voice.report().map(report -> health.put("voice", report))
        .compose(withVoice -> link.map(verticle -> verticle.status().map(cluster -> health.put("cluster", cluster)))
            .orElse(Future.succeededFuture(health)));
  }

  private static NodeSettings nodeSettings(EdgeNodeConfig config) {
    return new NodeSettings(config.node(), config.dataDir(), config.executor(), config.gatewayApiUrl(), config.gatewayMqttUrl(),
        config.gpio(), config.voice(), config.microphone());
  }

  public int httpPort() {
    return httpPort;
  }

  /**
   * Undeploys its verticles: the bots keep running (the next start adopts them), outputs go to their
   * shutdown states, the link leaves the cluster.
   */
  public Future<Void> close() {
    return Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
