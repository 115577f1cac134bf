package io.codex32.devices;

import io.codex32.store.DocumentStore;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Persistent MQTT sessions on the store's {@code device_sessions} collection, one document per
 * device (the client id is the device id). Being in the store, a session outlives a gateway restart
 * and is found by whichever gateway instance the device reconnects to. An expired document counts
 * as absent and is overwritten by the device's next session; deleting the device deletes it, so the
 * collection never holds more documents than there are devices.
 */
public final class DeviceSessions {

  public static final String COLLECTION = "device_sessions";

  private final DocumentStore store;
  private final Clock clock;

  public DeviceSessions(DocumentStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The device's session if one exists and has not expired, else {@code null}. */
  public Future<SavedSession> find(String deviceId) {
    return store.get(COLLECTION, deviceId).map(doc -> {
      SavedSession session = doc == null ? null : SavedSession.fromDocument(doc);
      return session == null || session.expiredAt(clock.instant()) ? null : session;
    });
  }

  /** Makes {@code session} the device's, whatever was stored (a new connection takes the session over). */
  public Future<SavedSession> claim(SavedSession session) {
    return store.upsert(COLLECTION, session.deviceId(), session.toDocument()).map(SavedSession::fromDocument);
  }

  /**
   * Stores a change of the session read or written last at {@code session.revision()}; fails with
   * 409 when another connection has claimed it since, 404 when the device (and with it the session) is gone.
   */
  public Future<SavedSession> update(SavedSession session) {
    return store.update(COLLECTION, session.deviceId(), session.toDocument(), session.revision()).map(SavedSession::fromDocument);
  }

  /** Ends the device's session, e.g. on a clean start or when the device is deleted. */
  public Future<Void> discard(String deviceId) {
    return store.delete(COLLECTION, deviceId).mapEmpty();
  }
}
