package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.GpioReply;
import io.codex32.bus.GpioRequest;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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
  private static final NodeService GPIO = new NodeService("GPIO", "gpio.enabled is false, or it left", "gpio_refused");

  private final Vertx vertx;
  private final NodeRegistry nodes;

  public EventBusGpioClient(Vertx vertx, NodeRegistry nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  @Override
  public Future<GpioReply> send(String nodeId, GpioRequest request) {
    Optional<Codex32Exception> unreachable = GPIO.unreachable(nodes, nodeId);
    if (unreachable.isPresent()) {
      return Future.failedFuture(unreachable.get());
    }
    return vertx.eventBus().request(Addresses.gpio(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> GpioReply.fromJson(request, reply.body()))
        .recover(failure -> Future.failedFuture(GPIO.translate(nodeId, failure, TIMEOUT_MS)));
  }
}
