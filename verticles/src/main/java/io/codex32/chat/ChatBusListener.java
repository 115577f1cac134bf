package io.codex32.chat;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ChatAnswer;
import io.codex32.bus.ChatRequest;
import io.codex32.error.Codex32Exception;
import io.codex32.security.Principal;
import io.codex32.security.User;
import io.codex32.security.UserService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's chat for the nodes' local microphones, on {@code codex32.chat}: the words to listen
 * for, and each recognised sentence answered as the microphone's configured user (loaded from the
 * store on every utterance, so a disabled or deleted user stops at once) in one conversation per
 * node and user, so that "yes" said at a Pi confirms what was asked there. Its actions are audited
 * with channel {@code voice} and the source {@code node:<id>}. Behind several gateways a follow-up
 * may reach another gateway, which does not know the question.
 */
public final class ChatBusListener {

  private static final Logger LOG = LoggerFactory.getLogger(ChatBusListener.class);

  private final ChatService chat;
  private final UserService users;
  private final Conversations conversations;

  public ChatBusListener(ChatService chat, UserService users, Clock clock) {
    this.chat = chat;
    this.users = users;
    this.conversations = new Conversations(clock);
  }

  public Future<Void> register(Vertx vertx) {
    return vertx.eventBus().consumer(Addresses.CHAT, this::onRequest).completion();
  }

  private void onRequest(Message<Object> message) {
    Future<ChatAnswer> answer;
    try {
      ChatRequest request = ChatRequest.fromJson(message.body());
      answer = request instanceof ChatRequest.Utterance utterance ? utter(utterance)
          : chat.vocabulary().map(ChatAnswer.Words::new);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(reply -> message.reply(reply.toJson())).onFailure(failure -> BusFailures.fail(message, failure, "chat_error"));
  }

  private Future<ChatAnswer> utter(ChatRequest.Utterance utterance) {
    Channel channel = "chat".equals(utterance.channel()) ? Channel.CHAT : Channel.VOICE;
    return users.get(utterance.user())
        .compose(user -> {
          if (user.disabled()) {
            return refuse(utterance, "is disabled");
          }
          Asker asker = new Asker(principal(user, utterance.node()), channel, "node:" + utterance.node());
          return chat.handle(conversations.of(utterance.node() + "/" + user.username()), asker, utterance.text())
              .map(reply -> (ChatAnswer) new ChatAnswer.Reply(reply.text(), reply.intent(), reply.awaiting()));
        }, failure -> failure instanceof Codex32Exception e && e.status() == 404 ? refuse(utterance, "does not exist")
            : Future.failedFuture(failure));
  }

  private static Principal principal(User user, String node) {
    return new Principal(user.username(), user.role(), Principal.Kind.USER, "microphone:" + node);
  }

  /** A microphone configured with a user that cannot act: logged for the operator, and said at the node. */
  private static Future<ChatAnswer> refuse(ChatRequest.Utterance utterance, String why) {
    LOG.error("the microphone of node '{}' acts as user '{}', who {}: set voice.microphone.user to an enabled user", utterance.node(),
        utterance.user(), why);
    return Future.succeededFuture(new ChatAnswer.Reply("I cannot act on that: the microphone's user '" + utterance.user() + "' " + why
        + ".", null, null));
  }
}
