package io.codex32.devices;

import io.codex32.error.Codex32Exception;
import io.codex32.security.Secrets;
import io.codex32.store.Document;
import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Device registry on the store's {@code devices} collection. A device authenticates over MQTT with
 * its id and a secret {@code d32_<43 base64url chars>} (32 random bytes) that is shown once; the
 * record keeps SHA-256 of it. As for API keys, a fast hash is right: 256 bits of entropy leave
 * nothing to brute-force, and a CONNECT storm must not cost bcrypt time per attempt.
 */
public final class DeviceService {

  public static final String COLLECTION = "devices";

  private static final String SECRET_PREFIX = "d32_";
  private static final int SECRET_BYTES = 32;

  private final DocumentStore store;
  private final DeviceControl control;
  private final LiveDeviceStates live;
  private final Clock clock;

  public DeviceService(DocumentStore store, DeviceControl control, LiveDeviceStates live, Clock clock) {
    this.store = store;
    this.control = control;
    this.live = live;
    this.clock = clock;
  }

  /** {@code body}: optional id (else generated), name, labels, enabled. 409 when the id exists. */
  public Future<CreatedDevice> create(JsonObject body) {
    String id = body.getString("id", "dev-" + Secrets.randomHex(6));
    String secret = newSecret();
    Instant now = clock.instant();
    Device device = new Device(id, body.getString("name", id), body.getJsonObject("labels", new JsonObject()),
        body.getBoolean("enabled", true), Secrets.sha256Hex(secret), now, now, 1);
    return store.insert(COLLECTION, id, device.toDocument())
        .map(doc -> new CreatedDevice(Device.fromDocument(doc), secret));
  }

  public Future<List<Device>> list() {
    return store.list(COLLECTION).map(docs -> docs.stream().map(Device::fromDocument).toList());
  }

  /** 404 when absent. */
  public Future<Device> get(String id) {
    return store.get(COLLECTION, id).compose(DeviceService::existing).map(Device::fromDocument);
  }

  /** Changes name, labels (replaced as a whole) and enabled; disabling disconnects the device. */
  public Future<Device> patch(String id, JsonObject patch) {
    return store.get(COLLECTION, id).compose(DeviceService::existing).compose(doc -> {
      JsonObject body = doc.body().copy().put("updated_at", clock.instant().toString());
      if (patch.containsKey("name")) {
        body.put("name", patch.getString("name"));
      }
      if (patch.containsKey("labels")) {
        body.put("labels", patch.getJsonObject("labels"));
      }
      if (patch.containsKey("enabled")) {
        body.put("enabled", patch.getBoolean("enabled"));
      }
      return store.update(COLLECTION, id, body, doc.revision());
    }).map(Device::fromDocument).onSuccess(device -> {
      if (!device.enabled()) {
        control.disconnect(id, "device disabled", null);
      }
    });
  }

  /** Removes the device and its persistent MQTT session, and disconnects it; 404 when absent. */
  public Future<Void> delete(String id) {
    return store.delete(COLLECTION, id).compose(deleted -> {
      if (!deleted) {
        return Future.failedFuture(notFound(id));
      }
      control.disconnect(id, "device deleted", null);
      live.forget(id);
      // a device created later under the same id must not inherit the session
      return store.delete(DeviceSessions.COLLECTION, id).mapEmpty();
    });
  }

  /** A new secret, shown once; the old one stops working and open sessions are closed. */
  public Future<CreatedDevice> rotateSecret(String id) {
    String secret = newSecret();
    return store.get(COLLECTION, id).compose(DeviceService::existing)
        .compose(doc -> store.update(COLLECTION, id, doc.body().copy().put("secret_sha256", Secrets.sha256Hex(secret))
            .put("updated_at", clock.instant().toString()), doc.revision()))
        .map(doc -> new CreatedDevice(Device.fromDocument(doc), secret))
        .onSuccess(created -> control.disconnect(id, "secret rotated", null));
  }

  /**
   * 401 {@code bad_credentials} for an unknown device or a wrong secret (the same answer, so ids
   * cannot be probed), 403 {@code device_disabled} for a disabled one.
   */
  public Future<Device> authenticate(String id, String secret) {
    if (id == null || secret == null) {
      return Future.failedFuture(badCredentials());
    }
    return store.get(COLLECTION, id).compose(doc -> {
      if (doc == null || !Secrets.constantTimeEquals(Secrets.sha256Hex(secret), doc.body().getString("secret_sha256", ""))) {
        return Future.failedFuture(badCredentials());
      }
      Device device = Device.fromDocument(doc);
      return device.enabled() ? Future.succeededFuture(device)
          : Future.failedFuture(Codex32Exception.forbidden("device '" + id + "' is disabled"));
    });
  }

  public JsonObject view(Device device) {
    return device.toJson().mergeIn(live.view(device.id()));
  }

  private static String newSecret() {
    return SECRET_PREFIX + Secrets.randomBase64Url(SECRET_BYTES);
  }

  private static Future<Document> existing(Document doc) {
    return doc == null ? Future.failedFuture(Codex32Exception.notFound("device not found")) : Future.succeededFuture(doc);
  }

  private static Codex32Exception notFound(String id) {
    return Codex32Exception.notFound("device '" + id + "' not found");
  }

  static Codex32Exception badCredentials() {
    return Codex32Exception.unauthorized("bad_credentials", "unknown device or wrong secret");
  }
}
