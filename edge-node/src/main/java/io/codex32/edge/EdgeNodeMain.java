package io.codex32.edge;

import io.codex32.cluster.ClusterLink;
import io.codex32.config.ConfigException;
import io.codex32.config.EdgeNodeConfig;
import io.codex32.executor.ExecutorSettings;
import io.codex32.executor.ExecutorVerticle;
import io.codex32.http.DashboardRoutes;
import io.codex32.nodes.NodeHeartbeatVerticle;
import io.codex32.metrics.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar codex32-edge-node.jar [--conf FILE]}: an edge node. In this release it serves
 * {@code /health}, Prometheus {@code /metrics} and the web dashboard, and runs the executor of its
 * node: the bots a gateway places on it (over the clustered event bus) and those it finds running
 * from an earlier start. It starts and keeps supervising its bots without a gateway; the
 * {@link ClusterLink} joins the cluster whenever one is reachable.
 */
public final class EdgeNodeMain {

  private static final long SHUTDOWN_WAIT_S = 30;

  private EdgeNodeMain() {
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "conf/logback-edge.xml");
    }
    EdgeNodeConfig config;
    try {
      config = EdgeNodeConfig.load(Arrays.asList(args), System.getenv());
    } catch (ConfigException e) {
      System.err.println("codex32-edge: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(EdgeNodeMain.class);
    // The node's own Vert.x, never clustered: the executor keeps its bots whether or not a gateway is reachable.
    Vertx vertx = VertxFactory.create(new VertxOptions());
    try {
      ClusterLink link = config.cluster().enabled()
          ? new ClusterLink(config.cluster(), config.nodeId(), config.eventBuffer(), config.rejoinIntervalMs()) : null;
      // The link first, so that it keeps the events of the bots the executor adopts at start.
      if (link != null) {
        vertx.deployVerticle(link).await(1, TimeUnit.MINUTES);
      }
      Router router = Router.router(vertx);
      router.get("/health").handler(rc -> health(config, link).onSuccess(rc::json).onFailure(rc::fail));
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
      DashboardRoutes.mountStandalone(router);
      int port = vertx.createHttpServer()
          .requestHandler(router)
          .listen(config.http().port(), config.http().host())
          .await(1, TimeUnit.MINUTES)
          .actualPort();
      // The node cannot sign bot tokens: a gateway's start command brings each bot's token.
      ExecutorSettings settings = new ExecutorSettings(config.nodeId(), config.dataDir(), config.executor().allowedCommands(),
          ExecutorSettings.DEFAULT_SEARCH_PATH, config.gatewayApiUrl(), config.gatewayMqttUrl(), config.executor().sampleIntervalMs(),
          config.executor().adoptRunning(),
          config.executor().cgroups());
      ExecutorVerticle.create(vertx, settings, botId -> Future.succeededFuture(null), Clock.systemUTC())
          .compose(vertx::deployVerticle)
          .compose(executor -> NodeHeartbeatVerticle.deploy(vertx, config.node(), Clock.systemUTC()))
          .await(1, TimeUnit.MINUTES);
      // bots keep running (the next start adopts them); a clustered node leaves the cluster at once
      Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().toCompletionStage().toCompletableFuture()
          .completeOnTimeout(null, SHUTDOWN_WAIT_S, TimeUnit.SECONDS).join(), "codex32-shutdown"));
      log.info("Codex-32 edge node '{}' listening on port {}", config.nodeId(), port);
      System.out.println("Codex-32 edge node '" + config.nodeId() + "' is up on port " + port);
    } catch (Exception e) {
      System.err.println("codex32-edge: failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
    }
  }

  private static Future<JsonObject> health(EdgeNodeConfig config, ClusterLink link) {
    JsonObject health = new JsonObject().put("status", "up").put("node", config.nodeId());
    return link == null ? Future.succeededFuture(health) : link.status().map(cluster -> health.put("cluster", cluster));
  }
}
