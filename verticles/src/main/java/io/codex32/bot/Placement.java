package io.codex32.bot;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a bot runs: a node id, or a label selector (the gateway then assigns an online node carrying
 * every label). Neither given means the node {@code local}.
 */
public record Placement(String node, Map<String, String> labels) {

  public static final String DEFAULT_NODE = "local";

  public Placement {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (node == null && labels.isEmpty()) {
      node = DEFAULT_NODE;
    }
  }

  /** Placed by labels: the node is chosen by the gateway, not named by the spec. */
  public boolean bySelector() {
    return node == null;
  }

  /** Whether a node with {@code nodeLabels} carries every label of the selector. */
  public boolean matches(Map<String, String> nodeLabels) {
    return nodeLabels.entrySet().containsAll(labels.entrySet());
  }

  /** The selector as {@code {key=value, ...}}, sorted by key, for messages. */
  public String selectorText() {
    return new TreeMap<>(labels).toString();
  }

  static Placement fromJson(JsonObject json) {
    if (json == null) {
      return new Placement(null, null);
    }
    Map<String, String> labels = new TreeMap<>();
    JsonObject raw = json.getJsonObject("labels", new JsonObject());
    raw.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    return new Placement(json.getString("node"), labels);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (node != null) {
      json.put("node", node);
    }
    if (!labels.isEmpty()) {
      json.put("labels", new JsonObject(new TreeMap<>(labels)));
    }
    return json;
  }
}
