package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.MicrophoneReply;
import io.codex32.bus.MicrophoneRequest;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * A node's local microphone from the gateway, by request/reply on {@code codex32.node.<id>.microphone}
 * (through an edge node's cluster link). Like {@link EventBusGpioClient}: a node never heard of is
 * 404, one known offline 503 at once; no microphone there is 503 {@code node_unavailable}; the
 * node's refusals (409 {@code busy} / {@code not_listening}, 503 {@code gateway_unavailable} /
 * {@code microphone_unavailable}) pass through.
 */
public final class MicrophoneClient {

  /** A start answers once arecord runs: the words from a gateway (3 s) and a recognition session (5 s) come first. */
  public static final long TIMEOUT_MS = 10_000;
  private static final String UNAVAILABLE = "node_unavailable";

  private final Vertx vertx;
  private final NodeRegistry nodes;

  public MicrophoneClient(Vertx vertx, NodeRegistry nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  public Future<MicrophoneReply> send(String nodeId, MicrophoneRequest request) {
    Optional<NodeView> node = nodes.find(nodeId);
    if (node.isEmpty()) {
      return Future.failedFuture(Codex32Exception.notFound("no node '" + nodeId + "' has reported"));
    }
    if (!node.get().online()) {
      return Future.failedFuture(Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' is offline since "
          + node.get().lastSeen(), null));
    }
    return vertx.eventBus().request(Addresses.microphone(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> MicrophoneReply.fromJson(reply.body()))
        .recover(failure -> Future.failedFuture(translate(nodeId, failure)));
  }

  private static Throwable translate(String nodeId, Throwable failure) {
    if (failure instanceof UnreadableMessage unreadable) {
      return BusFailures.unreadableReply("the microphone of node '" + nodeId + "'", unreadable);
    }
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' has no microphone (voice.microphone.enabled is false,"
          + " or it left)", reply);
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return Codex32Exception.unavailable(UNAVAILABLE, "the microphone of node '" + nodeId + "' did not answer within " + TIMEOUT_MS
          + " ms", reply);
    }
    return BusFailures.fromRecipient(reply, "microphone_refused");
  }
}
