package io.codex32.gpio;

import io.codex32.bus.Addresses;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.PinValue;
import io.codex32.rate.TokenBucket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns one input's raw changes into {@code codex32.gpio.events}: debounced (a change counts once
 * the pin kept its state for {@code debounce_ms}; with 0 every change counts), at most
 * {@link #BURST} events at once and {@link #PER_SECOND} a second after that. A change over the
 * limit is counted as dropped, and so is every change after it until the pin's latest state is
 * published, as soon as the limit allows: a listener always ends with the right state. Raw changes
 * arrive on the provider's thread; at most {@link #MAX_QUEUED} of them wait for the verticle's
 * context, more are dropped there, so a flapping line cannot flood the node.
 */
final class InputWatch {

  static final int BURST = 10;
  static final int PER_SECOND = 10;
  static final int MAX_QUEUED = 64;

  private final PinSpec pin;
  private final String nodeId;
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final TokenBucket limit;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicReference<PinValue> latest;
  private PinValue published;
  /** Changes were dropped since the last event: the next one is the catch-up with the latest state. */
  private boolean behind;
  private long debounceTimer = -1;
  private long catchUpTimer = -1;
  private boolean stopped;

  /** {@code state}: the pin's state now, what listeners are assumed to know. */
  InputWatch(PinSpec pin, PinValue state, String nodeId, Vertx vertx, Context context, Clock clock) {
    this.pin = pin;
    this.nodeId = nodeId;
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.limit = new TokenBucket(BURST, PER_SECOND, System.nanoTime());
    this.latest = new AtomicReference<>(state);
    this.published = state;
  }

  /** A raw change to {@code value}, on the provider's thread. */
  void changed(PinValue value) {
    latest.set(value);
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    context.runOnContext(v -> {
      queued.decrementAndGet();
      debounce(value);
    });
  }

  /** No more events; the board is about to be closed. */
  void stop() {
    stopped = true;
    vertx.cancelTimer(debounceTimer);
    vertx.cancelTimer(catchUpTimer);
  }

  private void debounce(PinValue value) {
    if (stopped) {
      return;
    }
    if (pin.debounceMs() == 0) {
      settled(value);
      return;
    }
    vertx.cancelTimer(debounceTimer);
    debounceTimer = vertx.setTimer(pin.debounceMs(), id -> {
      debounceTimer = -1;
      settled(latest.get());
    });
  }

  private void settled(PinValue value) {
    if (stopped || (value == published && !behind)) {
      // bounced back to the state listeners know
      return;
    }
    long now = System.nanoTime();
    if (!behind && limit.tryTake(now)) {
      publish(value);
      return;
    }
    dropped.incrementAndGet();
    behind = true;
    scheduleCatchUp(now);
  }

  private void scheduleCatchUp(long now) {
    if (catchUpTimer == -1) {
      catchUpTimer = vertx.setTimer(limit.millisUntilNext(now), id -> {
        catchUpTimer = -1;
        catchUp();
      });
    }
  }

  private void catchUp() {
    PinValue value = latest.get();
    if (stopped) {
      return;
    }
    if (value == published) {
      behind = false;
      return;
    }
    long now = System.nanoTime();
    if (limit.tryTake(now)) {
      behind = false;
      publish(value);
    } else {
      scheduleCatchUp(now);
    }
  }

  private void publish(PinValue value) {
    published = value;
    GpioEvent event = new GpioEvent(nodeId, pin.name(), value, value.edge(), clock.instant(), dropped.get());
    vertx.eventBus().publish(Addresses.GPIO_EVENTS, event.toJson());
  }
}
