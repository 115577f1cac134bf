package io.codex32.mqtt;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection attempts per client IP as token buckets: {@code burst} attempts at once, refilled at
 * {@code ratePerSecond}. Shared by every MQTT verticle instance, so a client cannot multiply its
 * budget by landing on different event loops. Buckets that refilled completely are dropped, which
 * keeps the map as small as the set of recently active addresses.
 */
final class ConnectRateLimiter {

  private static final int PURGE_THRESHOLD = 10_000;

  private final Clock clock;
  private final double burst;
  private final double ratePerMs;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  ConnectRateLimiter(Clock clock, int burst, int ratePerSecond) {
    this.clock = clock;
    this.burst = burst;
    this.ratePerMs = ratePerSecond / 1000.0;
  }

  /** True when the address may attempt a connection now (and one token is taken). */
  boolean tryAcquire(String address) {
    long now = clock.millis();
    if (buckets.size() > PURGE_THRESHOLD) {
      buckets.values().removeIf(b -> b.level(now, ratePerMs, burst) >= burst);
    }
    boolean[] granted = {false};
    buckets.compute(address, (ip, bucket) -> {
      double level = bucket == null ? burst : bucket.level(now, ratePerMs, burst);
      granted[0] = level >= 1;
      return new Bucket(granted[0] ? level - 1 : level, now);
    });
    return granted[0];
  }

  private record Bucket(double tokens, long atMs) {

    double level(long now, double ratePerMs, double burst) {
      return Math.min(burst, tokens + (now - atMs) * ratePerMs);
    }
  }
}
