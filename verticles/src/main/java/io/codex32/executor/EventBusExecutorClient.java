package io.codex32.executor;

import io.codex32.bus.Addresses;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Sends executor commands as request/reply on the event bus, local or clustered alike. */
public final class EventBusExecutorClient implements ExecutorClient {

  private static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public EventBusExecutorClient(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Boolean> send(String nodeId, ExecutorCommand command) {
    return vertx.eventBus()
        .request(Addresses.executor(nodeId), command.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> true)
        .recover(this::translate);
  }

  private Future<Boolean> translate(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return Future.succeededFuture(false);
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Future.failedFuture(Codex32Exception.unavailable("executor_timeout", "the node's executor did not answer in time", reply));
      }
      return Future.failedFuture(Codex32Exception.unprocessable("executor_refused", reply.getMessage()));
    }
    return Future.failedFuture(failure);
  }
}
