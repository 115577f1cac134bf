package io.codex32.ws;

import java.util.ArrayDeque;

/**
 * The messages a connection could not write yet, bounded: when full, the oldest goes and is
 * counted, so a client that catches up sees the newest state and learns how much it missed.
 * Touched only on the connection's event loop.
 */
final class OutboundQueue {

  private final int capacity;
  private final ArrayDeque<String> messages = new ArrayDeque<>();
  private long dropped;

  OutboundQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a message; {@code true} when that dropped the oldest one. */
  boolean offer(String message) {
    messages.addLast(message);
    if (messages.size() <= capacity) {
      return false;
    }
    messages.pollFirst();
    dropped++;
    return true;
  }

  String poll() {
    return messages.pollFirst();
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  int size() {
    return messages.size();
  }

  /** How many were dropped since the last call; resets the count. */
  long takeDropped() {
    long count = dropped;
    dropped = 0;
    return count;
  }

  boolean hasDropped() {
    return dropped > 0;
  }

  void clear() {
    messages.clear();
  }
}
