package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotLogLine;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ExecutorReply;
import io.codex32.bus.ExecutorRequest;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.function.Function;

/** Sends executor requests as request/reply on the event bus, local or clustered alike. */
public final class EventBusExecutorClient implements ExecutorClient {

  /** Long enough for a stop that waits out a bot's grace period before SIGKILL. */
  public static final long TIMEOUT_MS = 30_000;
  /** The code of an executor's refusal whose reason is not in the contract's failure format. */
  private static final String REFUSED = "executor_refused";

  private final Vertx vertx;
  private final String ownNode;
  private final Function<String, Future<String>> botTokens;

  /**
   * {@code botTokens} issues the token of a bot launched on another node than {@code ownNode}:
   * edge nodes cannot sign tokens, so their start requests carry one (keep the event bus on a
   * private network or TLS).
   */
  public EventBusExecutorClient(Vertx vertx, String ownNode, Function<String, Future<String>> botTokens) {
    this.vertx = vertx;
    this.ownNode = ownNode;
    this.botTokens = botTokens;
  }

  @Override
  public Future<Boolean> send(String nodeId, ExecutorRequest request) {
    return withToken(nodeId, request)
        .compose(ready -> request(nodeId, ready))
        .map(reply -> true)
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(false) : Future.failedFuture(translate(nodeId, failure)));
  }

  @Override
  public Future<List<BotLogLine>> logs(String nodeId, ExecutorRequest.Logs request) {
    return ask(nodeId, request).map(reply -> ((ExecutorReply.LogTail) reply).lines());
  }

  @Override
  public Future<Integer> report(String nodeId) {
    return ask(nodeId, new ExecutorRequest.Report()).map(reply -> ((ExecutorReply.BotCount) reply).bots());
  }

  /** A launch on another node carries the bot's token. */
  private Future<ExecutorRequest> withToken(String nodeId, ExecutorRequest request) {
    if (!request.launches() || nodeId.equals(ownNode)) {
      return Future.succeededFuture(request);
    }
    String botId = request instanceof ExecutorRequest.Start start ? start.spec().id() : ((ExecutorRequest.Restart) request).spec().id();
    return botTokens.apply(botId).map(request::withToken);
  }

  private Future<ExecutorReply> ask(String nodeId, ExecutorRequest request) {
    return request(nodeId, request).recover(failure -> Future.failedFuture(translate(nodeId, failure)));
  }

  /** The executor's reply, decoded as the reply to {@code request}. */
  private Future<ExecutorReply> request(String nodeId, ExecutorRequest request) {
    return vertx.eventBus().request(Addresses.executor(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> ExecutorReply.fromJson(request, reply.body()));
  }

  /** No executor, no answer in time, or the executor's own failure ({@link BusFailures}). */
  private static Throwable translate(String nodeId, Throwable failure) {
    if (failure instanceof UnreadableMessage unreadable) {
      return BusFailures.unreadableReply("the executor of node '" + nodeId + "'", unreadable);
    }
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Codex32Exception.unavailable("node_unavailable", "node '" + nodeId + "' has no executor running", reply);
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return Codex32Exception.unavailable("executor_timeout", "the executor of node '" + nodeId + "' did not answer in time", reply);
    }
    return BusFailures.fromRecipient(reply, REFUSED);
  }
}
