package io.codex32.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An edge node's effective, validated configuration. */
public record EdgeNodeConfig(HttpConfig http, Path dataDir, ClusterConfig cluster, NodeConfig node, ExecutorConfig executor) {

  public static final String DEFAULTS = "conf/edge-node.json";

  public static EdgeNodeConfig load(List<String> args, Map<String, String> env) {
    return from(ConfigLoader.load(DEFAULTS, args, env));
  }

  public static EdgeNodeConfig from(JsonObject json) {
    Settings s = new Settings(json);
    return new EdgeNodeConfig(HttpConfig.from(s), Path.of(s.requiredString("data_dir")), ClusterConfig.from(s), NodeConfig.from(s),
        ExecutorConfig.from(s));
  }

  public String nodeId() {
    return node.id();
  }
}
