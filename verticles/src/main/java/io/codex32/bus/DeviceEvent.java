package io.codex32.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * What is published on {@code codex32.devices.events}: a device connection came or went
 * ({@link Connection}), a device published on {@code devices/<id>/events} ({@link Published}), or
 * one of its commands changed status ({@link CommandStatus}). The JSON mapping below is the only
 * place their wire keys are written.
 */
public sealed interface DeviceEvent extends BusMessage {

  String TYPE = "type";
  String DEVICE_ID = DevicePublish.DEVICE_ID;
  String CONNECTION_ID = "connection_id";
  String REASON = "reason";
  String TIME = "time";
  String COMMAND_ID = "command_id";
  String NAME = "name";
  String STATUS = "status";

  /** The device this event is about. */
  String deviceId();

  /** The {@code type} of each kind of event. */
  enum Type {
    ONLINE, OFFLINE, EVENT, COMMAND;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Type parse(String text) {
      return Arrays.stream(values()).filter(t -> t.wireName().equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(text));
    }
  }

  /** Why a connection went offline: it dropped without DISCONNECT, or the device disconnected. */
  enum OfflineReason {
    CONNECTION_LOST, DISCONNECTED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static OfflineReason parse(String text) {
      return Arrays.stream(values()).filter(r -> r.wireName().equals(text)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(text));
    }
  }

  /** Connection {@code connectionId} of the device came online, or went offline for {@code reason} (null while online). */
  record Connection(String deviceId, boolean online, String connectionId, OfflineReason reason, Instant time) implements DeviceEvent {

    public static Connection online(String deviceId, String connectionId, Instant time) {
      return new Connection(deviceId, true, connectionId, null, time);
    }

    public static Connection offline(String deviceId, String connectionId, OfflineReason reason, Instant time) {
      return new Connection(deviceId, false, connectionId, reason, time);
    }
  }

  /** The device's own message on {@code devices/<id>/events}, or its will to that topic. */
  record Published(DevicePublish publish) implements DeviceEvent {

    @Override
    public String deviceId() {
      return publish.deviceId();
    }
  }

  /** A command of the device became {@code delivered} or {@code expired}, once that was stored. */
  record CommandStatus(String deviceId, String commandId, String name, CommandState status, Instant time)
      implements DeviceEvent {
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Published published) {
      return published.publish().write(json).put(TYPE, Type.EVENT.wireName());
    } else if (this instanceof CommandStatus c) {
      return json.put(TYPE, Type.COMMAND.wireName()).put(DEVICE_ID, c.deviceId()).put(COMMAND_ID, c.commandId()).put(NAME, c.name())
          .put(STATUS, c.status().wireName()).put(TIME, c.time().toString());
    }
    Connection c = (Connection) this;
    return json.put(TYPE, (c.online() ? Type.ONLINE : Type.OFFLINE).wireName()).put(DEVICE_ID, c.deviceId())
        .put(CONNECTION_ID, c.connectionId()).put(REASON, c.reason() == null ? null : c.reason().wireName())
        .put(TIME, c.time().toString());
  }

  /** The event in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static DeviceEvent fromJson(Object body) {
    Fields f = Fields.of(body);
    Type type = f.parsed(TYPE, Type::parse);
    if (type == Type.EVENT) {
      return new Published(DevicePublish.read(f));
    }
    if (type == Type.COMMAND) {
      return new CommandStatus(f.text(DEVICE_ID), f.text(COMMAND_ID), f.text(NAME), f.parsed(STATUS, CommandState::parse),
          f.instant(TIME));
    }
    String reason = f.optionalText(REASON);
    return new Connection(f.text(DEVICE_ID), type == Type.ONLINE, f.optionalText(CONNECTION_ID),
        reason == null ? null : f.parsed(REASON, OfflineReason::parse), f.instant(TIME));
  }
}
