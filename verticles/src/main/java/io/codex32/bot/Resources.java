package io.codex32.bot;

import io.vertx.core.json.JsonObject;

/** Resource quotas; {@code null} means unlimited. */
public record Resources(Integer maxMemoryMb, Integer maxCpuPercent) {

  static Resources fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new Resources(j.getInteger("max_memory_mb"), j.getInteger("max_cpu_percent"));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (maxMemoryMb != null) {
      json.put("max_memory_mb", maxMemoryMb);
    }
    if (maxCpuPercent != null) {
      json.put("max_cpu_percent", maxCpuPercent);
    }
    return json;
  }
}
