package io.codex32.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conversations of {@code POST /api/v1/chat}, one per user, so a script or the CLI can answer
 * "yes" in a second request. Kept for {@link #IDLE} after their last use and at most {@link #MAX}
 * at once (the least recently used goes first). Per gateway process: behind a load balancer the
 * follow-up must reach the same gateway, or be sent over {@code /ws/command}.
 */
public final class Conversations {

  static final Duration IDLE = Duration.ofMinutes(10);
  static final int MAX = 10_000;

  private final Clock clock;
  private final Map<String, Conversation> byUser = new ConcurrentHashMap<>();

  public Conversations(Clock clock) {
    this.clock = clock;
  }

  public Conversation of(String user) {
    if (byUser.size() >= MAX) {
      evict();
    }
    Conversation conversation = byUser.compute(user, (u, old) -> old == null || idle(old) ? new Conversation(clock) : old);
    conversation.touch();
    return conversation;
  }

  private boolean idle(Conversation conversation) {
    return conversation.lastUsed().plus(IDLE).isBefore(clock.instant());
  }

  private void evict() {
    byUser.values().removeIf(this::idle);
    while (byUser.size() >= MAX) {
      byUser.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastUsed()))
          .ifPresent(oldest -> byUser.remove(oldest.getKey(), oldest.getValue()));
    }
  }
}
