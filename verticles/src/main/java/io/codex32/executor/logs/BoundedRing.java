package io.codex32.executor.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The newest {@code capacity} items, oldest evicted first. Every method locks the ring, so readers never see a half-added batch. */
final class BoundedRing<T> {

  private final int capacity;
  private final ArrayDeque<T> items;

  BoundedRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.items = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  synchronized void add(T item) {
    if (items.size() == capacity) {
      items.pollFirst();
    }
    items.addLast(item);
  }

  synchronized void addAll(List<T> batch) {
    batch.forEach(this::add);
  }

  /** Up to {@code n} of the newest items that {@code keep} accepts, oldest first. */
  synchronized List<T> newest(int n, Predicate<? super T> keep) {
    List<T> picked = new ArrayList<>(Math.min(Math.max(n, 0), items.size()));
    for (Iterator<T> it = items.descendingIterator(); it.hasNext() && picked.size() < n;) {
      T item = it.next();
      if (keep.test(item)) {
        picked.add(item);
      }
    }
    Collections.reverse(picked);
    return picked;
  }

  synchronized T newest() {
    return items.peekLast();
  }

  synchronized int size() {
    return items.size();
  }

  int capacity() {
    return capacity;
  }
}
