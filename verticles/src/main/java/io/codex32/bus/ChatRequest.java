package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * A node's request to the chat of a gateway on {@code codex32.chat}, for a local microphone: what
 * speech may be recognised as right now ({@link Words}), and one recognised sentence to answer and
 * act on ({@link Utterance}) as {@code user}, whose permissions and audit trail it carries. The reply
 * is a {@link ChatAnswer}. The JSON mapping below is the only place its wire keys are written.
 */
public sealed interface ChatRequest extends BusMessage {

  String ACTION = "action";
  String USER = "user";
  String TEXT = "text";
  String CHANNEL = "channel";
  String NODE = "node";

  /** The closed set of actions, with their wire names. */
  enum Action {
    WORDS, UTTERANCE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Action parse(String text) {
      return Arrays.stream(values()).filter(a -> a.wireName().equals(text)).findFirst()
          .orElseThrow(() -> UnreadableMessage.of("unknown_action", "unknown chat action '" + text + "'"));
    }
  }

  /** The vocabulary of the intents with every live name: what a recognition session listens for. */
  record Words() implements ChatRequest {
  }

  /** {@code text} said by {@code user} at {@code node} through {@code channel} ({@code voice} or {@code chat}). */
  record Utterance(String user, String text, String channel, String node) implements ChatRequest {
  }

  default Action action() {
    return this instanceof Words ? Action.WORDS : Action.UTTERANCE;
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body().put(ACTION, action().wireName());
    if (this instanceof Utterance u) {
      json.put(USER, u.user()).put(TEXT, u.text()).put(CHANNEL, u.channel()).put(NODE, u.node());
    }
    return json;
  }

  /** The request in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static ChatRequest fromJson(Object body) {
    Fields f = Fields.of(body);
    if (Action.parse(f.text(ACTION)) == Action.WORDS) {
      return new Words();
    }
    return new Utterance(f.text(USER), f.text(TEXT), f.text(CHANNEL), f.text(NODE));
  }
}
