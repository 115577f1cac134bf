package io.codex32.http;

import io.codex32.health.HealthChecks;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Path;
import java.lang.management.ManagementFactory;

/** Everything on the port that is not the REST API: health, metrics, the OpenAPI document, Swagger UI, dashboard. */
final class SiteRoutes {

  private static final String SWAGGER_WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String SWAGGER_UI_VERSION = DashboardRoutes.webJarVersion("org.webjars", "swagger-ui");

  private final ApiServices services;
  private final OpenAPIContract contract;

  SiteRoutes(ApiServices services, OpenAPIContract contract) {
    this.services = services;
    this.contract = contract;
  }

  void mount(Router router) {
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(this::ready);
    router.get("/health/detailed").handler(this::detailed);
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
    router.get("/openapi.yaml").handler(rc -> rc.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .sendFile(ApiContract.RESOURCE));
    router.get("/docs").handler(rc -> {
      if (rc.request().path().equals("/docs")) {
        rc.redirect("/docs/");
      } else {
        rc.next();
      }
    });
    router.route("/docs/swagger-ui/*").handler(new BundledFiles(SWAGGER_WEBJAR + SWAGGER_UI_VERSION, "/docs/swagger-ui/"));
    router.route("/api/*").handler(this::unmatchedApiRequest);
    DashboardRoutes.mount(router);
  }

  /** No operation matched: 405 with Allow when the path exists with other methods, else 404. */
  private void unmatchedApiRequest(RoutingContext rc) {
    Path path = contract.findPath(rc.normalizedPath());
    if (path == null) {
      rc.fail(404);
      return;
    }
    rc.response().putHeader("Allow", String.join(", ", path.getOperations().stream().map(op -> op.getHttpMethod().name()).toList()));
    rc.fail(405);
  }

  /** Ready when every component answers; 503 naming the ones that do not. */
  private void ready(RoutingContext rc) {
    services.health().report().onSuccess(components -> {
      boolean up = HealthChecks.allUp(components);
      json(rc, up ? 200 : 503, new JsonObject().put("status", up ? "up" : "down").put("components", components));
    });
  }

  /** Components, and this gateway's own node's speech-to-text (engine, available, reason): informative, never "down". */
  private void detailed(RoutingContext rc) {
    services.health().report().compose(components -> services.voice().report().map(voice -> {
      components.put("voice", voice);
      return components;
    })).onSuccess(components -> {
      Runtime runtime = Runtime.getRuntime();
      json(rc, 200, new JsonObject()
          .put("components", components)
          .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
          .put("leader", services.leadership().isLeader())
          .put("jvm", new JsonObject()
              .put("heap_used_mb", (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024))
              .put("heap_max_mb", runtime.maxMemory() / (1024 * 1024))
              .put("processors", runtime.availableProcessors())
              .put("version", System.getProperty("java.version"))));
    });
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
