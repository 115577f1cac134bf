package io.codex32.executor;

import io.codex32.bus.Addresses;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Sends executor commands as request/reply on the event bus, local or clustered alike. */
public final class EventBusExecutorClient implements ExecutorClient {

  /** Long enough for a stop that waits out a bot's grace period before SIGKILL. */
  public static final long TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final String ownNode;
  private final Function<String, Future<String>> botTokens;

  /**
   * {@code botTokens} issues the token of a bot launched on another node than {@code ownNode}:
   * edge nodes cannot sign tokens, so their start commands carry one (keep the event bus on a
   * private network or TLS).
   */
  public EventBusExecutorClient(Vertx vertx, String ownNode, Function<String, Future<String>> botTokens) {
    this.vertx = vertx;
    this.ownNode = ownNode;
    this.botTokens = botTokens;
  }

  @Override
  public Future<Boolean> send(String nodeId, ExecutorCommand command) {
    Future<ExecutorCommand> ready = command.launches() && !nodeId.equals(ownNode)
        ? botTokens.apply(command.spec().id()).map(command::withToken) : Future.succeededFuture(command);
    return ready.compose(c -> request(nodeId, c.toJson()))
        .map(reply -> true)
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(false) : Future.failedFuture(translate(nodeId, failure)));
  }

  @Override
  public Future<JsonObject> query(String nodeId, JsonObject request) {
    return request(nodeId, request).recover(failure -> Future.failedFuture(translate(nodeId, failure)));
  }

  private Future<JsonObject> request(String nodeId, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.executor(nodeId), body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> reply.body());
  }

  /** The executor fails a request with the HTTP-like status and {@code {"code","message"}}. */
  private static Throwable translate(String nodeId, Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> Codex32Exception.unavailable("node_unavailable", "node '" + nodeId + "' has no executor running", reply);
      case TIMEOUT -> Codex32Exception.unavailable("executor_timeout", "the executor of node '" + nodeId + "' did not answer in time",
          reply);
      default -> fromExecutor(reply);
    };
  }

  private static Codex32Exception fromExecutor(ReplyException reply) {
    try {
      JsonObject error = new JsonObject(String.valueOf(reply.getMessage()));
      return new Codex32Exception(reply.failureCode(), error.getString("code", "executor_refused"), error.getString("message", ""));
    } catch (DecodeException e) {
      return Codex32Exception.unprocessable("executor_refused", String.valueOf(reply.getMessage()));
    }
  }
}
