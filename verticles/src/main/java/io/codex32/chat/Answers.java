package io.codex32.chat;

import io.codex32.error.Codex32Exception;
import io.vertx.core.json.JsonObject;

/** Replies that end a turn early, as failed futures: a question, a refusal, or why an action failed. */
final class Answers {

  private Answers() {
  }

  static Answer say(Turn turn, String text) {
    return new Answer(ChatReply.say(text, turn.intent(), turn.match().slots(), null));
  }

  /** "Could not stop pump: …", with the API's error code and message as the result. */
  static Answer failed(Turn turn, String what, Throwable failure) {
    String code = failure instanceof Codex32Exception e ? e.code() : "internal_error";
    JsonObject error = new JsonObject().put("code", code).put("message", failure.getMessage());
    return new Answer(ChatReply.say("Could not " + what + ": " + failure.getMessage(), turn.intent(), turn.match().slots(),
        new JsonObject().put("error", error)));
  }
}
