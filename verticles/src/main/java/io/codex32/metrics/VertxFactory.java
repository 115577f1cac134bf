package io.codex32.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Creates the process's Vert.x with Prometheus metrics (HTTP, event bus, pools, JVM) switched on. */
public final class VertxFactory {

  private VertxFactory() {
  }

  public static Vertx create(VertxOptions options) {
    return Vertx.builder().with(withMetrics(options)).withMetrics(new MicrometerMetricsFactory()).build();
  }

  /** The same, joined to a cluster through {@code manager}. */
  public static Future<Vertx> createClustered(VertxOptions options, ClusterManager manager) {
    return Vertx.builder().with(withMetrics(options)).withMetrics(new MicrometerMetricsFactory()).withClusterManager(manager)
        .buildClustered();
  }

  private static VertxOptions withMetrics(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }
}
