package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
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
  String ID = "id";
  String DEVICE_ID = "device_id";
  String NAME = "name";
  String PAYLOAD = "payload";
  String STATUS = "status";
  String CREATED_AT = "created_at";
  String EXPIRES_AT = "expires_at";
  String DELIVERED_AT = "delivered_at";

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

  /** A queued command for the device to publish to it: {@code payload} is JSON or text, {@code name} its topic's last level. */
  record Deliver(String commandId, String deviceId, String name, Object payload, Instant createdAt, Instant expiresAt)
      implements DeviceSessionControl {
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
      return json.put(TYPE, Type.COMMAND.wireName()).put(COMMAND, new JsonObject().put(ID, deliver.commandId())
          .put(DEVICE_ID, deliver.deviceId()).put(NAME, deliver.name()).put(PAYLOAD, deliver.payload())
          .put(STATUS, CommandState.QUEUED.wireName()).put(CREATED_AT, deliver.createdAt().toString())
          .put(EXPIRES_AT, deliver.expiresAt().toString()).put(DELIVERED_AT, null));
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
      Fields c = Fields.of(f.object(COMMAND));
      return new Deliver(c.text(ID), c.text(DEVICE_ID), c.text(NAME), c.json().getValue(PAYLOAD), c.instant(CREATED_AT),
          c.instant(EXPIRES_AT));
    }
    return type == Type.DISCONNECT ? new Disconnect(f.optionalText(REASON), f.optionalText(KEEP)) : new TakeOver(f.optionalText(BY));
  }
}
