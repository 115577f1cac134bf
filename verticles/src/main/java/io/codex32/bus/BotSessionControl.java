package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * What is published on {@code codex32.bots.mqtt.<id>} to a bot's MQTT connection, on whichever
 * gateway instance holds it: close it ({@link Disconnect}, the bot was deleted).
 */
public sealed interface BotSessionControl extends BusMessage {

  String TYPE = "type";
  String REASON = "reason";
  String DISCONNECT = "disconnect";

  record Disconnect(String reason) implements BotSessionControl {
  }

  @Override
  default JsonObject toJson() {
    return Contract.body().put(TYPE, DISCONNECT).put(REASON, ((Disconnect) this).reason());
  }

  /** The control message in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static BotSessionControl fromJson(Object body) {
    Fields f = Fields.of(body);
    String type = f.text(TYPE);
    if (!type.equals(DISCONNECT)) {
      throw UnreadableMessage.unknownType(TYPE, type);
    }
    return new Disconnect(f.optionalText(REASON));
  }
}
