package io.codex32.cluster;

import io.codex32.bus.BotEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The bot status events an edge node owes the gateways, oldest first and at most {@code capacity}.
 * An event stays while no gateway is reachable, and for {@code retainMs} after it was sent: a
 * gateway that vanishes is noticed only after the failure timeout, and whatever was sent into that
 * gap is sent again on the next join. Gateways keep the newest version of a bot's status, so an
 * event sent twice changes nothing. When full, the oldest event is dropped; one dropped before it
 * was ever sent is counted. Used on one event loop; the counters may be read from any thread.
 */
final class EventBuffer {

  private record Entry(BotEvent.Status event, long sentAt) {
    static final long UNSENT = -1;

    boolean sent() {
      return sentAt != UNSENT;
    }
  }

  private final int capacity;
  private final long retainMs;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private volatile long dropped;
  private volatile long replayed;
  private volatile int size;

  EventBuffer(int capacity, long retainMs) {
    this.capacity = capacity;
    this.retainMs = retainMs;
  }

  /** Keeps an event that went to the cluster at {@code sentAt}. */
  void addSent(BotEvent.Status event, long sentAt) {
    add(new Entry(event, sentAt));
  }

  /** Keeps an event that could not be sent: no gateway is reachable. */
  void addUnsent(BotEvent.Status event) {
    add(new Entry(event, Entry.UNSENT));
  }

  private void add(Entry entry) {
    if (entries.size() >= capacity && !entries.removeFirst().sent()) {
      dropped++;
    }
    entries.addLast(entry);
    size = entries.size();
  }

  /** Forgets the events sent more than {@code retainMs} before {@code now}. */
  void trim(long now) {
    entries.removeIf(entry -> entry.sent() && now - entry.sentAt() > retainMs);
    size = entries.size();
  }

  /** Everything kept, in order, marked as sent at {@code now}: what a fresh join sends again, each event marked replayed. */
  List<BotEvent.Status> replay(long now) {
    List<BotEvent.Status> out = entries.stream().map(entry -> entry.event().asReplayed()).toList();
    List<Entry> resent = entries.stream().map(entry -> new Entry(entry.event(), now)).toList();
    entries.clear();
    entries.addAll(resent);
    replayed += out.size();
    return out;
  }

  int size() {
    return size;
  }

  long dropped() {
    return dropped;
  }

  long replayed() {
    return replayed;
  }
}
