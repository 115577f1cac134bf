package io.codex32.bot;

import io.codex32.error.Codex32Exception;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an operator declares about a bot. Field names are a contract (snake_case in JSON). The
 * HTTP layer validates shapes and bounds against the OpenAPI schema before a spec is built; the
 * constructor keeps the invariants the rest of the system relies on. {@code gpio}: the pins of its
 * node the bot may read and drive itself through {@code /api/v1/self/gpio/{pin}} (empty: none).
 */
public record BotSpec(String id, String name, String description, String role, List<String> command, String workdir,
    Map<String, String> env, Placement placement, RestartPolicy restart, Resources resources, long stopTimeoutMs,
    long heartbeatTimeoutSeconds, long maxRuntimeSeconds, List<String> gpio) {

  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  public static final long DEFAULT_STOP_TIMEOUT_MS = 10_000;
  /** A pin name as {@code gpio.pins} declares it on a node. */
  public static final Pattern GPIO_PIN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  /** No more pins than a Raspberry Pi header has GPIO lines. */
  public static final int MAX_GPIO_PINS = 28;
  private static final String GPIO = "gpio";

  public BotSpec {
    if (id == null || !ID.matcher(id).matches()) {
      throw Codex32Exception.badRequest("invalid_id", "bot id must match " + ID.pattern());
    }
    if (command == null || command.isEmpty()) {
      throw Codex32Exception.badRequest("invalid_command", "command must name an executable");
    }
    command = List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    name = name == null ? id : name;
    workdir = workdir == null ? "." : workdir;
    gpio = gpio == null ? List.of() : List.copyOf(gpio);
    if (gpio.size() > MAX_GPIO_PINS || gpio.stream().distinct().count() != gpio.size()
        || !gpio.stream().allMatch(pin -> GPIO_PIN.matcher(pin).matches())) {
      throw Codex32Exception.badRequest("invalid_gpio", "gpio must list at most " + MAX_GPIO_PINS + " distinct pin names matching "
          + GPIO_PIN.pattern());
    }
  }

  /** Whether the bot may read and drive {@code pin} of its node itself. */
  public boolean grantsGpio(String pin) {
    return gpio.contains(pin);
  }

  public static BotSpec fromJson(JsonObject json) {
    Map<String, String> env = new TreeMap<>();
    json.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    List<String> command = json.getJsonArray("command", new JsonArray()).stream().map(String::valueOf).toList();
    return new BotSpec(
        json.getString("id"),
        json.getString("name"),
        json.getString("description"),
        json.getString("role"),
        command,
        json.getString("workdir"),
        env,
        Placement.fromJson(json.getJsonObject("placement")),
        RestartPolicy.fromJson(json.getJsonObject("restart")),
        Resources.fromJson(json.getJsonObject("resources")),
        json.getLong("stop_timeout_ms", DEFAULT_STOP_TIMEOUT_MS),
        json.getLong("heartbeat_timeout_s", 0L),
        json.getLong("max_runtime_s", 0L),
        json.getJsonArray(GPIO, new JsonArray()).stream().map(String::valueOf).toList());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("description", description)
        .put("role", role)
        .put("command", new JsonArray(command))
        .put("workdir", workdir)
        .put("env", new JsonObject(new TreeMap<>(env)))
        .put("placement", placement.toJson())
        .put("restart", restart.toJson())
        .put("resources", resources.toJson())
        .put("stop_timeout_ms", stopTimeoutMs)
        .put("heartbeat_timeout_s", heartbeatTimeoutSeconds)
        .put("max_runtime_s", maxRuntimeSeconds);
    return gpio.isEmpty() ? json : json.put(GPIO, new JsonArray(gpio));
  }
}
