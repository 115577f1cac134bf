package io.codex32.executor;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One point of a bot's resource history. */
public record MetricSample(Instant time, double cpuPercent, double memoryMb, int processes) {

  public JsonObject toJson() {
    return new JsonObject().put("time", time.toString()).put("cpu_load", cpuPercent).put("memory_usage_mb", memoryMb)
        .put("processes", processes);
  }
}
