package io.codex32.bus;

import io.codex32.voice.Vocabulary;
import io.vertx.core.json.JsonObject;

/**
 * What a gateway's chat answers to a {@link ChatRequest}, decoded per request: the vocabulary, or
 * the reply to an utterance ({@code text} to say; the {@code intent} it was understood as and
 * {@code awaiting} {@code confirmation}/{@code choice}, each null when not applicable). Failures
 * are reply failures ({@link BusFailures}): 400 for an unreadable or empty request.
 */
public sealed interface ChatAnswer extends BusMessage {

  String VOCABULARY = "vocabulary";
  String TEXT = "text";
  String INTENT = "intent";
  String AWAITING = "awaiting";

  /** What speech may be recognised as. */
  record Words(Vocabulary vocabulary) implements ChatAnswer {
  }

  /** The answer to one utterance. */
  record Reply(String text, String intent, String awaiting) implements ChatAnswer {
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Words words) {
      return json.put(VOCABULARY, VocabularyJson.toJson(words.vocabulary()));
    }
    Reply reply = (Reply) this;
    json.put(TEXT, reply.text());
    if (reply.intent() != null) {
      json.put(INTENT, reply.intent());
    }
    return reply.awaiting() == null ? json : json.put(AWAITING, reply.awaiting());
  }

  /** The answer to {@code request} in {@code body}. */
  static ChatAnswer fromJson(ChatRequest request, Object body) {
    Fields f = Fields.of(body);
    if (request instanceof ChatRequest.Words) {
      return new Words(VocabularyJson.fromJson(VOCABULARY, f.object(VOCABULARY)));
    }
    return new Reply(f.text(TEXT), f.optionalText(INTENT), f.optionalText(AWAITING));
  }
}
