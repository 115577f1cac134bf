package io.codex32.devices;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code expired} on commands past their TTL, so that their stored status is right without
 * anyone reading them and the change is announced. Ticks every second but lists the commands only
 * when a command this process queued may be due, and every minute regardless (commands queued
 * before a restart or by another gateway instance). One sweep at a time, a bounded number of
 * writes per sweep. One instance per gateway process.
 */
public final class CommandExpiryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CommandExpiryVerticle.class);
  static final long TICK_MS = 1000;
  static final long RESCAN_MS = 60_000;
  static final int MAX_PER_SWEEP = 1000;

  private final DeviceCommands commands;
  private long timer = -1;
  private long lastScan;
  private boolean sweeping;

  public CommandExpiryVerticle(DeviceCommands commands) {
    this.commands = commands;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void tick() {
    long now = commands.now().toEpochMilli();
    if (sweeping || !commands.expiryDue() && now - lastScan < RESCAN_MS) {
      return;
    }
    sweeping = true;
    lastScan = now;
    commands.expireDue(MAX_PER_SWEEP)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("{} device command(s) expired", n);
          }
        })
        .onFailure(e -> LOG.warn("command expiry sweep failed: {}", e.getMessage()))
        .onComplete(done -> sweeping = false);
  }
}
