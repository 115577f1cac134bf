package io.codex32.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The gateway's own counters, next to the HTTP, event-bus and JVM metrics Vert.x reports. Without a
 * metrics backend (metrics disabled) the counters go to a registry that keeps nothing.
 */
public final class GatewayMetrics {

  private final MeterRegistry registry;

  private GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Uses the process's Prometheus registry when Vert.x metrics are on. */
  public static GatewayMetrics fromVertx() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new GatewayMetrics(registry != null ? registry : new CompositeMeterRegistry());
  }

  /** A changing API request: {@code operation} is an operationId, {@code outcome} success, denied or failed. */
  public void mutation(String operation, String outcome) {
    Counter.builder("codex32.api.mutations").description("Changing API requests (the audited ones), by operation and outcome")
        .tags("operation", operation, "outcome", outcome).register(registry).increment();
  }

  /** An API error answered with {@code status} and the stable error {@code code}. */
  public void error(int status, String code) {
    Counter.builder("codex32.api.errors").description("API error answers, by HTTP status and error code")
        .tags("status", Integer.toString(status), "code", code).register(registry).increment();
  }
}
