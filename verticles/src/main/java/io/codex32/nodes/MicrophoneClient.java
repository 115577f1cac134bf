package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.MicrophoneReply;
import io.codex32.bus.MicrophoneRequest;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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
  private static final NodeService MICROPHONE = new NodeService("microphone", "voice.microphone.enabled is false, or it left",
      "microphone_refused");

  private final Vertx vertx;
  private final NodeRegistry nodes;

  public MicrophoneClient(Vertx vertx, NodeRegistry nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  public Future<MicrophoneReply> send(String nodeId, MicrophoneRequest request) {
    Optional<Codex32Exception> unreachable = MICROPHONE.unreachable(nodes, nodeId);
    if (unreachable.isPresent()) {
      return Future.failedFuture(unreachable.get());
    }
    return vertx.eventBus().request(Addresses.microphone(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(reply -> MicrophoneReply.fromJson(reply.body()))
        .recover(failure -> Future.failedFuture(MICROPHONE.translate(nodeId, failure, TIMEOUT_MS)));
  }
}
