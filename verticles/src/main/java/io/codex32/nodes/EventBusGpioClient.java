package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * Sends GPIO requests as request/reply on the event bus, local or clustered alike. A node the
 * registry knows to be offline is answered 503 at once, without sending; a node it never heard of
 * is 404. The node's own refusals (404 pin, 409, 422) pass through unchanged.
 */
public final class EventBusGpioClient implements GpioClient {

  /**
   * A GPIO action takes a few milliseconds on the node (a pulse is answered as soon as it started),
   * so a node that has not answered within this has gone (a clustered node that left without its
   * handler being unregistered yet): the caller gets 503 instead of waiting out the bus's 30 s default.
   */
  public static final long TIMEOUT_MS = 3_000;
  private static final String UNAVAILABLE = "node_unavailable";
  /** The code of a node's refusal whose reason is not in the contract's failure format. */
  private static final String REFUSED = "gpio_refused";

  private final Vertx vertx;
  private final NodeRegistry nodes;

  public EventBusGpioClient(Vertx vertx, NodeRegistry nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  @Override
  public Future<GpioReply> send(String nodeId, GpioRequest request) {
    Optional<NodeView> node = nodes.find(nodeId);
    if (node.isEmpty()) {
      return Future.failedFuture(Codex32Exception.notFound("no node '" + nodeId + "' has reported"));
    }
    if (!node.get().online()) {
      return Future.failedFuture(Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' is offline since "
          + node.get().lastSeen(), null));
    }
    return vertx.eventBus().request(Addresses.gpio(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> GpioReply.fromJson(request, reply.body()))
        .recover(failure -> Future.failedFuture(translate(nodeId, failure)));
  }

  /** No GPIO on the node, no answer in time, or the node's own failure ({@link BusFailures}). */
  private static Throwable translate(String nodeId, Throwable failure) {
    if (failure instanceof UnreadableMessage unreadable) {
      return BusFailures.unreadableReply("the GPIO of node '" + nodeId + "'", unreadable);
    }
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' has no GPIO running (gpio.enabled is false, or it left)",
          reply);
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return Codex32Exception.unavailable(UNAVAILABLE, "the GPIO of node '" + nodeId + "' did not answer within " + TIMEOUT_MS + " ms",
          reply);
    }
    return BusFailures.fromRecipient(reply, REFUSED);
  }
}
