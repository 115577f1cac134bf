package io.codex32.devices;

import io.codex32.bus.CommandState;
import io.codex32.error.Codex32Exception;
import io.codex32.security.Secrets;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands for devices on the store's {@code device_commands} collection. A command is stored
 * {@code queued} first (so it survives an offline device and a gateway restart), then offered to
 * the gateway instance holding the device's session; that instance marks it {@code delivered} on
 * the device's PUBACK. A command past its TTL is {@code expired}: never sent, shown so on every
 * read, and written down by {@link #expireDue} (run periodically by {@link CommandExpiryVerticle}).
 * Both changes are announced as device events ({@link DeviceControl#commandStatus}).
 */
public final class DeviceCommands {

  public static final String COLLECTION = "device_commands";
  public static final int DEFAULT_TTL_S = 3600;

  private final DocumentStore store;
  private final DeviceService devices;
  private final DeviceControl control;
  private final Clock clock;
  private final int maxQueued;
  /**
   * Epoch millis before which no queued command this process knows of expires: lowered by every
   * send, recomputed by every sweep, so a sweep that cannot find anything does not list the collection.
   */
  private final AtomicLong earliestExpiry = new AtomicLong(Long.MIN_VALUE);

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
          DeviceCommand command = new DeviceCommand(Secrets.randomHex(8), deviceId, name, payload, CommandState.QUEUED, now,
              now.plus(Duration.ofSeconds(ttlSeconds)), null);
          return pruneFinished(existing, now).compose(v -> store.insert(COLLECTION, command.id(), command.toJson()))
              .map(DeviceCommand::fromDocument);
        })
        .onSuccess(command -> {
          earliestExpiry.accumulateAndGet(command.expiresAt().toEpochMilli(), Math::min);
          control.deliver(command);
        });
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

  /**
   * The device acknowledged the command. Also after its expiry was written: it did arrive, and
   * the status says what happened.
   */
  public Future<Void> markDelivered(String commandId) {
    Instant now = clock.instant();
    return store.get(COLLECTION, commandId).compose(doc -> doc == null
        || DeviceCommand.fromDocument(doc).status() == CommandState.DELIVERED
        ? Future.succeededFuture()
        : store.update(COLLECTION, commandId, doc.body().copy().put("status", CommandState.DELIVERED.wireName())
            .put("delivered_at", now.toString()), -1)
            .onSuccess(updated -> control.commandStatus(DeviceCommand.fromDocument(updated), now)).mapEmpty());
  }

  /** Whether a queued command may have passed its expiry since the last {@link #expireDue}. */
  public boolean expiryDue() {
    return clock.millis() >= earliestExpiry.get();
  }

  /**
   * Writes {@code expired} on at most {@code limit} queued commands past their TTL, earliest first,
   * and announces each. A command delivered meanwhile keeps {@code delivered} (the write is
   * conditional on the revision read). Completes with the number expired.
   */
  public Future<Integer> expireDue(int limit) {
    Instant now = clock.instant();
    long noted = earliestExpiry.getAndSet(Long.MAX_VALUE);
    return store.list(COLLECTION).compose(docs -> {
      List<Document> queued = docs.stream().filter(d -> DeviceCommand.fromDocument(d).status() == CommandState.QUEUED)
          .sorted(Comparator.comparing(DeviceCommands::expiresAt)).toList();
      List<Document> due = queued.stream().filter(d -> !now.isBefore(expiresAt(d))).limit(limit).toList();
      // what is left over (beyond the limit, or not due yet) sets the next sweep's time
      long next = queued.size() > due.size() ? expiresAt(queued.get(due.size())).toEpochMilli() : Long.MAX_VALUE;
      earliestExpiry.accumulateAndGet(next, Math::min);
      // each write fails alone (a 409 means it was delivered meanwhile): expire() turns failures into false
      return Future.all(due.stream().map(doc -> expire(doc, now)).toList())
          .map(all -> (int) all.<Boolean>list().stream().filter(Boolean::booleanValue).count());
    }).onFailure(e -> earliestExpiry.accumulateAndGet(noted, Math::min));
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

  private Future<Boolean> expire(Document doc, Instant now) {
    return store.update(COLLECTION, doc.id(), doc.body().copy().put("status", CommandState.EXPIRED.wireName()), doc.revision())
        .map(updated -> {
          control.commandStatus(DeviceCommand.fromDocument(updated), now);
          return true;
        })
        .otherwise(false);
  }

  private static Instant expiresAt(Document doc) {
    return Instant.parse(doc.body().getString("expires_at"));
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
