package io.codex32.mqtt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Packet ids of the QoS 1 PUBLISHes a connection recently acknowledged. A PUBLISH with the DUP flag
 * whose id is here was already handed to the bus (our PUBACK got lost): acknowledge it again and do
 * not forward it twice. Bounded: a client may have at most receive-maximum messages in flight.
 */
final class RecentPacketIds {

  private final int capacity;
  private final Deque<Integer> order = new ArrayDeque<>();
  private final Set<Integer> ids = new HashSet<>();

  RecentPacketIds(int capacity) {
    this.capacity = capacity;
  }

  boolean contains(int id) {
    return ids.contains(id);
  }

  void add(int id) {
    if (ids.add(id)) {
      order.addLast(id);
      if (order.size() > capacity) {
        ids.remove(order.removeFirst());
      }
    }
  }

  /** A fresh (non-DUP) PUBLISH reuses the id: the earlier exchange is over. */
  void release(int id) {
    if (ids.remove(id)) {
      order.remove(id);
    }
  }
}
