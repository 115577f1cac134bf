package io.codex32.supervisor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one gateway of a cluster leads: the one holding the cluster-wide lock
 * {@code codex32.leader}. The others keep trying, so when the leader dies (its lock is released
 * with its cluster membership) another takes over within a retry interval plus the failure
 * detection time. Alone, a gateway leads at once.
 */
public final class Leadership {

  static final String LOCK = "codex32.leader";
  /** How long one attempt waits for the lock before the next. */
  private static final long ATTEMPT_MS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final Vertx vertx;
  private final List<Runnable> onElected = new CopyOnWriteArrayList<>();
  private volatile boolean leader;
  private volatile boolean closed;
  private Lock held;

  public Leadership(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code action} (on an event loop) each time this gateway becomes the leader. */
  public void onElected(Runnable action) {
    onElected.add(action);
  }

  public void start() {
    attempt();
  }

  public boolean isLeader() {
    return leader;
  }

  private void attempt() {
    if (closed) {
      return;
    }
    vertx.sharedData().getLockWithTimeout(LOCK, ATTEMPT_MS)
        .onSuccess(lock -> {
          if (closed) {
            lock.release();
            return;
          }
          held = lock;
          leader = true;
          LOG.info("this gateway leads the cluster (reconciliation runs here)");
          onElected.forEach(Runnable::run);
        })
        .onFailure(notYet -> vertx.runOnContext(v -> attempt()));
  }

  public void close() {
    closed = true;
    leader = false;
    if (held != null) {
      held.release();
    }
  }
}
