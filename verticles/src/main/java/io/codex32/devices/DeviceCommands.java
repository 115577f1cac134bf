package io.codex32.devices;

import io.codex32.error.Codex32Exception;
import io.codex32.security.Secrets;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Commands for devices on the store's {@code device_commands} collection. A command is stored
 * {@code queued} first (so it survives an offline device and a gateway restart), then offered to
 * the gateway instance holding the device's session; that instance marks it {@code delivered} on
 * the device's PUBACK. Expiry is evaluated when a command is read or about to be delivered.
 */
public final class DeviceCommands {

  public static final String COLLECTION = "device_commands";
  public static final int DEFAULT_TTL_S = 3600;

  private final DocumentStore store;
  private final DeviceService devices;
  private final DeviceControl control;
  private final Clock clock;
  private final int maxQueued;

  public DeviceCommands(DocumentStore store, DeviceService devices, DeviceControl control, Clock clock, int maxQueued) {
    this.store = store;
    this.devices = devices;
    this.control = control;
    this.clock = clock;
    this.maxQueued = maxQueued;
  }

  /** Queues a command and offers it for delivery; 404 for an unknown device, 409 {@code command_queue_full} past the bound. */
  public Future<DeviceCommand> send(String deviceId, String name, Object payload, int ttlSeconds) {
    return devices.get(deviceId)
        .compose(device -> forDevice(deviceId))
        .compose(existing -> {
          Instant now = clock.instant();
          if (existing.stream().filter(c -> c.pendingAt(now)).count() >= maxQueued) {
            return Future.failedFuture(Codex32Exception.conflict("command_queue_full",
                "device '" + deviceId + "' already has " + maxQueued + " queued commands"));
          }
          DeviceCommand command = new DeviceCommand(Secrets.randomHex(8), deviceId, name, payload, DeviceCommand.QUEUED, now,
              now.plus(Duration.ofSeconds(ttlSeconds)), null);
          return pruneFinished(existing, now).compose(v -> store.insert(COLLECTION, command.id(), command.toJson()))
              .map(DeviceCommand::fromDocument);
        })
        .onSuccess(control::deliver);
  }

  /** The device's commands, oldest first. */
  public Future<List<DeviceCommand>> forDevice(String deviceId) {
    return store.list(COLLECTION).map(docs -> docs.stream().map(DeviceCommand::fromDocument)
        .filter(c -> c.deviceId().equals(deviceId)).sorted(Comparator.comparing(DeviceCommand::createdAt)).toList());
  }

  /** The commands still waiting for delivery, oldest first. */
  public Future<List<DeviceCommand>> pending(String deviceId) {
    return forDevice(deviceId).map(list -> list.stream().filter(c -> c.pendingAt(clock.instant())).toList());
  }

  /** 404 when absent or belonging to another device. */
  public Future<DeviceCommand> get(String deviceId, String commandId) {
    return store.get(COLLECTION, commandId).compose(doc -> doc == null || !deviceId.equals(doc.body().getString("device_id"))
        ? Future.failedFuture(Codex32Exception.notFound("command '" + commandId + "' not found"))
        : Future.succeededFuture(DeviceCommand.fromDocument(doc)));
  }

  public Future<Void> markDelivered(String commandId) {
    return store.get(COLLECTION, commandId).compose(doc -> doc == null ? Future.succeededFuture()
        : store.update(COLLECTION, commandId, doc.body().copy().put("status", DeviceCommand.DELIVERED)
            .put("delivered_at", clock.instant().toString()), -1).mapEmpty());
  }

  /** Removes every command of a deleted device. */
  public Future<Void> deleteAll(String deviceId) {
    return forDevice(deviceId).compose(list -> Future.join(list.stream().map(c -> store.delete(COLLECTION, c.id())).toList()))
        .mapEmpty();
  }

  public Instant now() {
    return clock.instant();
  }

  public JsonObject view(DeviceCommand command) {
    return command.view(clock.instant());
  }

  /** Keeps the collection bounded: finished commands beyond the per-device bound are dropped, oldest first. */
  private Future<Void> pruneFinished(List<DeviceCommand> existing, Instant now) {
    List<DeviceCommand> finished = existing.stream().filter(c -> !c.pendingAt(now)).toList();
    int excess = finished.size() - maxQueued;
    if (excess <= 0) {
      return Future.succeededFuture();
    }
    return Future.join(finished.subList(0, excess).stream().map(c -> store.delete(COLLECTION, c.id())).toList()).mapEmpty();
  }
}
