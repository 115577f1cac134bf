package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * What a node's speech-to-text publishes while a session runs, on the address the session's
 * {@link VoiceRequest.Open} named ({@link Addresses#voicePartials}): live-only.
 */
public sealed interface VoiceEvent extends BusMessage {

  String TYPE = "type";
  String SESSION = "session";
  String TEXT = "text";

  /** All the text recognised so far in the session (it may still change). */
  record Partial(String session, String text) implements VoiceEvent {
  }

  @Override
  default JsonObject toJson() {
    Partial partial = (Partial) this;
    return Contract.body().put(TYPE, "partial").put(SESSION, partial.session()).put(TEXT, partial.text());
  }

  static VoiceEvent fromJson(Object body) {
    Fields f = Fields.of(body);
    String type = f.text(TYPE);
    if (!"partial".equals(type)) {
      throw UnreadableMessage.unknownType(TYPE, type);
    }
    return new Partial(f.text(SESSION), f.text(TEXT));
  }
}
