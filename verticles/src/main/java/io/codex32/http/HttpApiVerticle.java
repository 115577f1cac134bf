package io.codex32.http;

import io.codex32.metrics.GatewayMetrics;
import io.codex32.ws.CommandApi;
import io.codex32.ws.CommandEndpoint;
import io.codex32.ws.EventsApi;
import io.codex32.ws.EventsEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import java.util.function.Function;

/**
 * REST API, OpenAPI document, Swagger UI, health, Prometheus metrics and the static dashboard on
 * one HTTP port. Deployed once per core; every instance shares the same {@link ApiServices}.
 */
public final class HttpApiVerticle extends VerticleBase {

  private final ApiServices services;
  private final OpenAPIContract contract;
  private final int port;
  private final EventsApi events;
  private final CommandApi commands;
  private volatile int actualPort = -1;

  /**
   * {@code contract} comes from {@link ApiContract#load}; a negative port shares one random port among instances;
   * {@code events} and {@code commands} serve the WebSocket upgrades ({@code /ws/events}, {@code /ws/command/{user}}).
   */
  public HttpApiVerticle(ApiServices services, OpenAPIContract contract, int port, EventsApi events, CommandApi commands) {
    this.services = services;
    this.contract = contract;
    this.port = port;
    this.events = events;
    this.commands = commands;
  }

  /** The port bound, once started (useful when configured with port 0). */
  public int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    EventsEndpoint eventsEndpoint = events.endpoint(vertx);
    CommandEndpoint commandEndpoint = commands.endpoint(vertx);
    // upgrade requests go to the handshake handler, not the router: it authenticates before accepting
    return vertx.createHttpServer(EventsEndpoint.configure(serverOptions()))
        .requestHandler(router(contract))
        .webSocketHandshakeHandler(handshake -> {
          if (handshake.path().startsWith(CommandEndpoint.PREFIX)) {
            commandEndpoint.handshake(handshake);
          } else {
            eventsEndpoint.handshake(handshake);
          }
        })
        // the connection is set up from the handshake's accept(); this handler only has nothing left to do
        .webSocketHandler(ws -> { })
        .listen(port, services.http().host())
        .onSuccess(server -> actualPort = server.actualPort());
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setMaxFormAttributeSize(8 * 1024)
        .setCompressionSupported(true)
        .setIdleTimeout(120);
  }

  private Router router(OpenAPIContract contract) {
    GatewayMetrics metrics = GatewayMetrics.fromVertx();
    AuditRecorder audit = new AuditRecorder(services.audit(), metrics);
    ErrorResponder errors = new ErrorResponder(audit, metrics);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(new RequestLog());
    builder.rootHandler(new SecurityHeaders());
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(services.http().maxBodyBytes()));
    builder.rootHandler(new ContentTypeGuard());
    builder.rootHandler(new RequestAuthenticator(contract, services.auth()));

    Map<String, Function<ApiCall, Future<ApiResult>>> operations = new ApiOperations(services).all();
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Function<ApiCall, Future<ApiResult>> operation = operations.get(operationId);
      if (operation == null) {
        throw new IllegalStateException("openapi.yaml operation " + operationId + " has no handler");
      }
      route.addHandler(serve(operation, audit));
      route.addFailureHandler(errors);
    }
    Router router = builder.createRouter();
    new SiteRoutes(services, contract).mount(router);
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  private static Handler<RoutingContext> serve(Function<ApiCall, Future<ApiResult>> operation, AuditRecorder audit) {
    return rc -> {
      ApiCall call = new ApiCall(rc.get(RequestAuthenticator.PRINCIPAL), rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST),
          RequestLog.sourceIp(rc), RequestLog.requestId(rc));
      Future.<Void>succeededFuture()
          .compose(v -> operation.apply(call))
          .compose(result -> audit.record(rc, result.status(), null, result.auditDetails()).map(result))
          .onSuccess(result -> write(rc, result))
          .onFailure(rc::fail);
    };
  }

  private static void write(RoutingContext rc, ApiResult result) {
    result.headers().forEach(rc.response()::putHeader);
    rc.response().setStatusCode(result.status());
    if (result.body() == null) {
      rc.response().end();
      return;
    }
    rc.response().putHeader("Content-Type", "application/json; charset=utf-8").end(result.body().encode());
  }
}
