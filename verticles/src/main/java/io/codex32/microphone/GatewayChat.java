package io.codex32.microphone;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ChatAnswer;
import io.codex32.bus.ChatRequest;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.codex32.voice.Vocabulary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The chat of a gateway seen from a node's microphone, over {@code codex32.chat}: on the gateway's own
 * node directly, on an edge node through its cluster link. No gateway there (none answers, or an edge
 * node without a link) is 503 {@code gateway_unavailable}: understanding and acting on a command
 * needs the gateway's bots, names and users.
 */
final class GatewayChat {

  static final String UNAVAILABLE = "gateway_unavailable";
  static final String NO_GATEWAY = "Spoken commands need a gateway, and none is reachable.";
  private static final long WORDS_TIMEOUT_MS = 3_000;
  /** An action (a bot start) waits for its node's executor, which answers within seconds. */
  private static final long UTTERANCE_TIMEOUT_MS = 20_000;

  private final Vertx vertx;

  GatewayChat(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Vocabulary> words() {
    return send(new ChatRequest.Words(), WORDS_TIMEOUT_MS).map(answer -> ((ChatAnswer.Words) answer).vocabulary());
  }

  Future<ChatAnswer.Reply> utter(String user, String text, String node) {
    return send(new ChatRequest.Utterance(user, text, "voice", node), UTTERANCE_TIMEOUT_MS).map(answer -> (ChatAnswer.Reply) answer);
  }

  private Future<ChatAnswer> send(ChatRequest request, long timeoutMs) {
    return vertx.eventBus().request(Addresses.CHAT, request.toJson(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> ChatAnswer.fromJson(request, reply.body()))
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  private static Throwable translate(Throwable failure) {
    if (failure instanceof UnreadableMessage unreadable) {
      return BusFailures.unreadableReply("the gateway's chat", unreadable);
    }
    if (failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT)) {
      return Codex32Exception.unavailable(UNAVAILABLE, NO_GATEWAY, reply);
    }
    return failure instanceof ReplyException reply ? BusFailures.fromRecipient(reply, "chat_refused") : failure;
  }
}
