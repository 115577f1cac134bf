package io.codex32.ws;

import java.util.HashMap;
import java.util.Map;

/**
 * Open WebSocket connections, globally and per user, shared by every HTTP verticle instance of
 * the process (so it is the one synchronized object here; it is held for a few map operations).
 */
public final class ConnectionLimits {

  private final int max;
  private final int maxPerUser;
  private final Map<String, Integer> perUser = new HashMap<>();
  private int total;

  public ConnectionLimits(int max, int maxPerUser) {
    this.max = max;
    this.maxPerUser = maxPerUser;
  }

  /** Counts a new connection of {@code user}; {@code false} (and nothing counted) when a limit is reached. */
  synchronized boolean tryAcquire(String user) {
    int mine = perUser.getOrDefault(user, 0);
    if (total >= max || mine >= maxPerUser) {
      return false;
    }
    total++;
    perUser.put(user, mine + 1);
    return true;
  }

  synchronized void release(String user) {
    Integer mine = perUser.get(user);
    if (mine == null) {
      return;
    }
    total--;
    if (mine <= 1) {
      perUser.remove(user);
    } else {
      perUser.put(user, mine - 1);
    }
  }
}
