package io.codex32.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * This node: its id, its labels (placement selects nodes by them) and how often it announces itself
 * on the event bus.
 */
public record NodeConfig(String id, Map<String, String> labels, long heartbeatIntervalMs) {

  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._-]{0,63}");

  public NodeConfig {
    labels = Map.copyOf(labels);
  }

  static NodeConfig from(Settings s) {
    return new NodeConfig(s.slug("node.id"), labels(s), s.number("node.heartbeat_interval_ms", 200, 60_000));
  }

  /** {@code "key=value,key=value"}, keys and values restricted so that they are safe in selectors and logs. */
  private static Map<String, String> labels(Settings s) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : s.list("node.labels")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq).trim();
      String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
        throw new ConfigException("node.labels", "'" + pair + "' is not key=value with key [a-z0-9][a-z0-9._/-]{0,62} and value "
            + "[A-Za-z0-9._-]{0,63}");
      }
      if (labels.put(key, value) != null) {
        throw new ConfigException("node.labels", "label '" + key + "' given twice");
      }
    }
    return labels;
  }
}
