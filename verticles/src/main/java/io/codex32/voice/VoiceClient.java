package io.codex32.voice;

import io.codex32.bus.Addresses;
import io.codex32.bus.UnreadableMessage;
import io.codex32.bus.VoiceEvent;
import io.codex32.bus.VoiceReply;
import io.codex32.bus.VoiceRequest;
import io.codex32.error.Codex32Exception;
import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's speech-to-text seen from the gateway (or any other requester), over request/reply on
 * {@code codex32.node.<id>.voice}, local or clustered alike. Each session gets a unique partials
 * address consumed here while it lasts. The node's refusals pass through with their codes (4xx for a
 * client mistake, 503 {@code voice_unavailable} with the reason when it has no engine); no answer
 * at all is 503 {@code node_unavailable}. Given the gateway's {@link NodeRegistry}, it answers
 * without sending for a node the registry never heard of (404 {@code not_found}) or knows to be
 * offline (503 {@code node_unavailable}), as the GPIO client does.
 */
public final class VoiceClient {

  /** Opening, audio and status take milliseconds on the node: no answer within this, and it is gone. */
  public static final long REQUEST_TIMEOUT_MS = 5_000;
  /** A finish waits for decoding, which the node bounds by its engine's own limit (PocketSphinx: 10 s). */
  public static final long FINISH_TIMEOUT_MS = 20_000;
  private static final NodeService VOICE = new NodeService("voice service", "unknown node, or it left", "voice_refused");
  private static final Logger LOG = LoggerFactory.getLogger(VoiceClient.class);

  private final Vertx vertx;
  private final Optional<NodeRegistry> nodes;

  /** Asks without a registry: for a node's own voice service (an edge node's health), which is known to exist. */
  public VoiceClient(Vertx vertx) {
    this.vertx = vertx;
    this.nodes = Optional.empty();
  }

  /** Asks only nodes {@code nodes} knows and holds online: what a gateway uses. */
  public VoiceClient(Vertx vertx, NodeRegistry nodes) {
    this.vertx = vertx;
    this.nodes = Optional.of(nodes);
  }

  /**
   * Opens a session on {@code nodeId}'s engine, listening for {@code vocabulary}; each partial text
   * the node publishes goes to {@code onPartial} (on the caller's context) until the session ends.
   */
  public Future<VoiceSession> open(String nodeId, Vocabulary vocabulary, int sampleRate, Consumer<String> onPartial) {
    Optional<Codex32Exception> unreachable = unreachable(nodeId);
    if (unreachable.isPresent()) {
      return Future.failedFuture(unreachable.get());
    }
    String id = UUID.randomUUID().toString();
    String partials = Addresses.voicePartials(id);
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(partials, message -> {
      try {
        VoiceEvent event = VoiceEvent.fromJson(message.body());
        if (event instanceof VoiceEvent.Partial partial && partial.session().equals(id)) {
          onPartial.accept(partial.text());
        }
      } catch (UnreadableMessage e) {
        LOG.warn("partial voice text dropped: {}", e.getMessage());
      }
    });
    VoiceSession session = new VoiceSession(this, nodeId, id, consumer);
    return consumer.completion()
        .compose(registered -> send(nodeId, new VoiceRequest.Open(id, sampleRate, vocabulary, partials), REQUEST_TIMEOUT_MS))
        .map(opened -> session)
        .onFailure(failure -> consumer.unregister());
  }

  /** The engine of {@code nodeId} and, when it cannot be used, why. */
  public Future<VoiceReply.EngineStatus> status(String nodeId) {
    return status(nodeId, REQUEST_TIMEOUT_MS);
  }

  /** {@link #status(String)} with its own timeout (a health report waits less). */
  public Future<VoiceReply.EngineStatus> status(String nodeId, long timeoutMs) {
    return send(nodeId, new VoiceRequest.Status(), timeoutMs).map(reply -> (VoiceReply.EngineStatus) reply);
  }

  Future<VoiceReply> send(String nodeId, VoiceRequest request, long timeoutMs) {
    Optional<Codex32Exception> unreachable = unreachable(nodeId);
    if (unreachable.isPresent()) {
      return Future.failedFuture(unreachable.get());
    }
    return vertx.eventBus().request(Addresses.voice(nodeId), request.toJson(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> VoiceReply.fromJson(request, reply.body()))
        .recover(failure -> Future.failedFuture(VOICE.translate(nodeId, failure, timeoutMs)));
  }

  /** Why a request to {@code nodeId} is not worth sending, by what the registry (if any) knows of it. */
  private Optional<Codex32Exception> unreachable(String nodeId) {
    return nodes.flatMap(registry -> VOICE.unreachable(registry, nodeId));
  }
}
