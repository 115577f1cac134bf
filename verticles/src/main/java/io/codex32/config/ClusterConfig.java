package io.codex32.config;

import java.util.List;

/** Hazelcast cluster membership. */
public record ClusterConfig(boolean enabled, List<String> members, int port) {

  static ClusterConfig from(Settings s) {
    ClusterConfig config = new ClusterConfig(s.flag("cluster.enabled"), s.list("cluster.members"), s.port("cluster.port"));
    if (config.enabled) {
      throw new ConfigException("cluster.enabled", "clustering is not available in this version yet; run without it");
    }
    return config;
  }
}
