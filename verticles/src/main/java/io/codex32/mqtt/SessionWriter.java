package io.codex32.mqtt;

import io.codex32.devices.DeviceSessions;
import io.codex32.devices.SavedSession;
import io.codex32.error.Codex32Exception;
import io.vertx.core.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one connection's changes of its persistent session to the store, one after the other in
 * the order asked (a write waits for the one before, then stores the state as it is by then), each
 * conditional on the revision written last. Once another connection has claimed the session (409)
 * or the device is gone (404), this connection no longer owns it and writes nothing more.
 * Lives on the connection's event loop.
 */
final class SessionWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SessionWriter.class);

  private final DeviceSessions sessions;
  private final Supplier<SavedSession> state;
  private long revision;
  private boolean owned = true;
  private Future<Void> tail = Future.succeededFuture();

  /** {@code claimed}: the session as this connection claimed it; {@code state}: its current state (revision ignored). */
  SessionWriter(DeviceSessions sessions, SavedSession claimed, Supplier<SavedSession> state) {
    this.sessions = sessions;
    this.revision = claimed.revision();
    this.state = state;
  }

  /** Stores the session's current state after every write asked for before; fails when the store refuses it. */
  Future<Void> save() {
    tail = tail.transform(previous -> write());
    return tail;
  }

  private Future<Void> write() {
    if (!owned) {
      return Future.succeededFuture();
    }
    SavedSession current = state.get().withRevision(revision);
    return sessions.update(current)
        .onSuccess(saved -> revision = saved.revision())
        .onFailure(e -> {
          if (e instanceof Codex32Exception ce && (ce.status() == 409 || ce.status() == 404)) {
            owned = false;
            LOG.debug("session of device {} is no longer this connection's: {}", current.deviceId(), e.getMessage());
          } else {
            LOG.warn("could not store the session of device {}: {}", current.deviceId(), e.getMessage());
          }
        })
        .mapEmpty();
  }
}
