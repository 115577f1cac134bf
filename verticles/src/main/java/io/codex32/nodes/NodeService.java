package io.codex32.nodes;

import io.codex32.bus.BusFailures;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * A service a node runs on {@code codex32.node.<id>.*} (its GPIO, voice, microphone), as the
 * gateway's clients of it report failures: a node the registry never heard of is 404, one it knows
 * to be offline 503 {@code node_unavailable} without sending; no handler or no answer in time is
 * 503 {@code node_unavailable}; the node's own refusals pass through ({@link BusFailures}) with
 * {@code refusedCode} when their reason is not in the contract's failure format.
 */
public record NodeService(String name, String whenMissing, String refusedCode) {

  public static final String UNAVAILABLE = "node_unavailable";

  /** Why a request to {@code nodeId} is not worth sending, by what {@code nodes} knows of it. */
  public Optional<Codex32Exception> unreachable(NodeRegistry nodes, String nodeId) {
    Optional<NodeView> node = nodes.find(nodeId);
    if (node.isEmpty()) {
      return Optional.of(Codex32Exception.notFound("no node '" + nodeId + "' has reported"));
    }
    if (!node.get().online()) {
      return Optional.of(Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' is offline since " + node.get().lastSeen(),
          null));
    }
    return Optional.empty();
  }

  /** The caller's view of a failed request to the service on {@code nodeId}. */
  public Throwable translate(String nodeId, Throwable failure, long timeoutMs) {
    if (failure instanceof UnreadableMessage unreadable) {
      return BusFailures.unreadableReply("the " + name + " of node '" + nodeId + "'", unreadable);
    }
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Codex32Exception.unavailable(UNAVAILABLE, "node '" + nodeId + "' has no " + name + " running (" + whenMissing + ")", reply);
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return Codex32Exception.unavailable(UNAVAILABLE, "the " + name + " of node '" + nodeId + "' did not answer within " + timeoutMs
          + " ms", reply);
    }
    return BusFailures.fromRecipient(reply, refusedCode);
  }
}
