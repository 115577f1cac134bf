package io.codex32.bot;

import io.vertx.core.json.JsonObject;

/** How the executor restarts a bot whose process ended; defaults are named constants. */
public record RestartPolicy(String policy, int maxRestarts, long windowSeconds, long backoffInitialMs, long backoffMaxMs,
    double backoffMultiplier) {

  public static final String DEFAULT_POLICY = "on-failure";
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final long DEFAULT_WINDOW_S = 300;
  public static final long DEFAULT_BACKOFF_INITIAL_MS = 500;
  public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  static RestartPolicy fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new RestartPolicy(
        j.getString("policy", DEFAULT_POLICY),
        j.getInteger("max_restarts", DEFAULT_MAX_RESTARTS),
        j.getLong("window_s", DEFAULT_WINDOW_S),
        j.getLong("backoff_initial_ms", DEFAULT_BACKOFF_INITIAL_MS),
        j.getLong("backoff_max_ms", DEFAULT_BACKOFF_MAX_MS),
        j.getDouble("backoff_multiplier", DEFAULT_BACKOFF_MULTIPLIER));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("policy", policy)
        .put("max_restarts", maxRestarts)
        .put("window_s", windowSeconds)
        .put("backoff_initial_ms", backoffInitialMs)
        .put("backoff_max_ms", backoffMaxMs)
        .put("backoff_multiplier", backoffMultiplier);
  }
}
