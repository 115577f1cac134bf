package io.codex32.bot;

import io.codex32.error.Codex32Exception;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How the executor restarts a bot whose process ended; defaults are named constants. */
public record RestartPolicy(Policy policy, int maxRestarts, long windowSeconds, long backoffInitialMs, long backoffMaxMs,
    double backoffMultiplier) {

  /** When a process that ended is started again: never, after a failed run only, or after every run. */
  public enum Policy {
    NEVER("never"), ON_FAILURE("on-failure"), ALWAYS("always");

    private final String wireName;

    Policy(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** The policy named {@code value}; a 400 {@code invalid_restart_policy} naming the choices otherwise. */
    public static Policy parse(String value) {
      for (Policy policy : values()) {
        if (policy.wireName.equals(value)) {
          return policy;
        }
      }
      throw Codex32Exception.badRequest("invalid_restart_policy", "restart.policy must be one of "
          + Arrays.stream(values()).map(Policy::wireName).collect(Collectors.joining(", ")) + ", was '" + value + "'");
    }
  }

  public static final Policy DEFAULT_POLICY = Policy.ON_FAILURE;
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final long DEFAULT_WINDOW_S = 300;
  public static final long DEFAULT_BACKOFF_INITIAL_MS = 500;
  public static final long DEFAULT_BACKOFF_MAX_MS = 30_000;
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  public RestartPolicy {
    if (policy == null) {
      throw Codex32Exception.badRequest("invalid_restart_policy", "restart.policy is missing");
    }
  }

  static RestartPolicy fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new RestartPolicy(
        Policy.parse(j.getString("policy", DEFAULT_POLICY.wireName())),
        j.getInteger("max_restarts", DEFAULT_MAX_RESTARTS),
        j.getLong("window_s", DEFAULT_WINDOW_S),
        j.getLong("backoff_initial_ms", DEFAULT_BACKOFF_INITIAL_MS),
        j.getLong("backoff_max_ms", DEFAULT_BACKOFF_MAX_MS),
        j.getDouble("backoff_multiplier", DEFAULT_BACKOFF_MULTIPLIER));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("policy", policy.wireName())
        .put("max_restarts", maxRestarts)
        .put("window_s", windowSeconds)
        .put("backoff_initial_ms", backoffInitialMs)
        .put("backoff_max_ms", backoffMaxMs)
        .put("backoff_multiplier", backoffMultiplier);
  }
}
