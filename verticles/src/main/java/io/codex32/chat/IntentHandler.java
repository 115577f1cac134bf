package io.codex32.chat;

import io.vertx.core.Future;

/** Carries out one intent. A reply decided early (a question, a refusal) may come as a failed {@link Answer}. */
interface IntentHandler {

  Future<ChatReply> handle(Turn turn);
}
