package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * A request to a node's local microphone on {@code codex32.node.<id>.microphone}: start listening
 * (as a press of its push-to-talk button does), stop (as its release does: what was heard is
 * recognised and acted on), or its status. The reply is a {@link MicrophoneReply}.
 */
public sealed interface MicrophoneRequest extends BusMessage {

  String ACTION = "action";

  /** The closed set of actions, with their wire names. */
  enum Action {
    START, STOP, STATUS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Action parse(String text) {
      return Arrays.stream(values()).filter(a -> a.wireName().equals(text)).findFirst()
          .orElseThrow(() -> UnreadableMessage.of("unknown_action", "unknown microphone action '" + text + "'"));
    }
  }

  /** Start listening. */
  record Start() implements MicrophoneRequest {
  }

  /** Stop listening: recognise what was heard and act on it. */
  record Stop() implements MicrophoneRequest {
  }

  /** What the microphone is doing and what it heard last. */
  record Status() implements MicrophoneRequest {
  }

  default Action action() {
    if (this instanceof Start) {
      return Action.START;
    }
    return this instanceof Stop ? Action.STOP : Action.STATUS;
  }

  /** The request of {@code action}. */
  static MicrophoneRequest of(Action action) {
    return switch (action) {
      case START -> new Start();
      case STOP -> new Stop();
      case STATUS -> new Status();
    };
  }

  @Override
  default JsonObject toJson() {
    return Contract.body().put(ACTION, action().wireName());
  }

  /** The request in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static MicrophoneRequest fromJson(Object body) {
    return of(Action.parse(Fields.of(body).text(ACTION)));
  }
}
