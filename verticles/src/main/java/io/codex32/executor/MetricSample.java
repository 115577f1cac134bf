package io.codex32.executor;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One point of a bot's resource history. */
public record MetricSample(Instant time, double cpuPercent, double memoryMb, int processes) {

  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  /** The sample of a process tree's usage taken at {@code time}; memory in MiB. */
  public static MetricSample of(Instant time, ProcessUsage usage) {
    return new MetricSample(time, usage.cpuPercent(), usage.rssBytes() / BYTES_PER_MB, usage.processes());
  }

  public JsonObject toJson() {
    return new JsonObject().put("time", time.toString()).put("cpu_load", cpuPercent).put("memory_usage_mb", memoryMb)
        .put("processes", processes);
  }
}
