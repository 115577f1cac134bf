package io.codex32.http;

import io.codex32.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Supplier;

/**
 * The HTTP server of a node that runs without the API (an edge node): {@code GET /health},
 * Prometheus {@code GET /metrics} and the dashboard, nothing else. Deployed once; its start
 * completes when the port is bound.
 */
public final class NodeHttpVerticle extends VerticleBase {

  private final HttpConfig config;
  private final Supplier<Future<JsonObject>> health;
  private volatile int actualPort = -1;

  /** {@code health}: the body of {@code GET /health}. */
  public NodeHttpVerticle(HttpConfig config, Supplier<Future<JsonObject>> health) {
    this.config = config;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(rc -> health.get().onSuccess(rc::json).onFailure(rc::fail));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    DashboardRoutes.mountStandalone(router);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(server -> actualPort = server.actualPort());
  }

  /** The port bound (configured port 0: the one picked). */
  public int actualPort() {
    return actualPort;
  }
}
