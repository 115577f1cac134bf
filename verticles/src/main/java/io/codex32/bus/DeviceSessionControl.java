package io.codex32.bus;

import io.codex32.devices.DeviceCommand;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * What is sent on {@code codex32.devices.commands.<id>} to the MQTT session of one device, on
 * whichever gateway instance holds it: deliver a command ({@link Deliver}, published), close every
 * connection but {@code keep} ({@link Disconnect}, published), or close and answer once the session
 * is stored ({@link TakeOver}, a request answered with an empty body). The JSON mapping below is
 * the only place their wire keys are written.
 */
public sealed interface DeviceSessionControl extends BusMessage {

  String TYPE = "type";
  String COMMAND = "command";
  String REASON = "reason";
  String KEEP = "keep";
  String BY = "by";

  /** The {@code type} of each control message. */
  enum Type {
    COMMAND, DISCONNECT, TAKEOVER;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Type parse(String text) {
      return Arrays.stream(values()).filter(t -> t.wireName().equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(text));
    }
  }

  record Deliver(DeviceCommand command) implements DeviceSessionControl {
  }

  /** {@code keep}: the connection that stays (the one that caused this), or null for none. */
  record Disconnect(String reason, String keep) implements DeviceSessionControl {
  }

  /** {@code by}: the new connection that takes the session over. */
  record TakeOver(String by) implements DeviceSessionControl {
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Deliver deliver) {
      return json.put(TYPE, Type.COMMAND.wireName()).put(COMMAND, deliver.command().toJson());
    } else if (this instanceof Disconnect disconnect) {
      return json.put(TYPE, Type.DISCONNECT.wireName()).put(REASON, disconnect.reason()).put(KEEP, disconnect.keep());
    }
    return json.put(TYPE, Type.TAKEOVER.wireName()).put(BY, ((TakeOver) this).by());
  }

  /** The control message in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static DeviceSessionControl fromJson(Object body) {
    Fields f = Fields.of(body);
    Type type = f.parsed(TYPE, Type::parse);
    if (type == Type.COMMAND) {
      JsonObject command = f.object(COMMAND);
      try {
        return new Deliver(DeviceCommand.fromMessage(command));
      } catch (RuntimeException e) {
        throw UnreadableMessage.malformed(COMMAND, "a device command");
      }
    }
    return type == Type.DISCONNECT ? new Disconnect(f.optionalText(REASON), f.optionalText(KEEP)) : new TakeOver(f.optionalText(BY));
  }
}
