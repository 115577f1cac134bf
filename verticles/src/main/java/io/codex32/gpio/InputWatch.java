package io.codex32.gpio;

import io.codex32.bus.Addresses;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.PinValue;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns one input's raw changes into {@code codex32.gpio.events}: debounced (a change counts once
 * the pin kept its state for {@code debounce_ms}), at most {@link #BURST} events at once and
 * {@link #PER_SECOND} a second after that. A change over the limit is counted as dropped and the
 * pin's latest state is published as soon as the limit allows, so a listener always ends with the
 * right state. Raw changes arrive on the provider's thread; at most {@link #MAX_QUEUED} of them wait
 * for the verticle's context, more are dropped there, so a flapping line cannot flood the node.
 */
final class InputWatch {

  static final int BURST = 10;
  static final int PER_SECOND = 10;
  static final int MAX_QUEUED = 64;

  private final PinSpec pin;
  private final String nodeId;
  private final GpioBoard board;
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final EventRateLimit limit;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private PinValue published;
  private long debounceTimer = -1;
  private long retryTimer = -1;
  private boolean stopped;

  InputWatch(PinSpec pin, String nodeId, GpioBoard board, Vertx vertx, Context context, Clock clock) {
    this.pin = pin;
    this.nodeId = nodeId;
    this.board = board;
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.limit = new EventRateLimit(BURST, PER_SECOND, System.nanoTime());
    this.published = board.read(pin.name());
  }

  /** A raw change, on the provider's thread; the pin's state is read again once it settled. */
  void changed() {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    context.runOnContext(v -> {
      queued.decrementAndGet();
      debounce();
    });
  }

  /** No more events; the board is about to be closed. */
  void stop() {
    stopped = true;
    vertx.cancelTimer(debounceTimer);
    vertx.cancelTimer(retryTimer);
  }

  private void debounce() {
    if (stopped) {
      return;
    }
    if (pin.debounceMs() == 0) {
      settled();
      return;
    }
    vertx.cancelTimer(debounceTimer);
    debounceTimer = vertx.setTimer(pin.debounceMs(), id -> {
      debounceTimer = -1;
      settled();
    });
  }

  private void settled() {
    if (stopped) {
      return;
    }
    PinValue value = board.read(pin.name());
    if (value == published) {
      return;
    }
    long now = System.nanoTime();
    if (limit.tryTake(now)) {
      published = value;
      GpioEvent event = new GpioEvent(nodeId, pin.name(), value, value.edge(), clock.instant(), dropped.get());
      vertx.eventBus().publish(Addresses.GPIO_EVENTS, event.toJson());
      return;
    }
    dropped.incrementAndGet();
    if (retryTimer == -1) {
      retryTimer = vertx.setTimer(limit.millisUntilNext(now), id -> {
        retryTimer = -1;
        settled();
      });
    }
  }
}
