package io.codex32.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * A bare clustered Vert.x instance joined to a running Codex-32 cluster as a Hazelcast lite member:
 * Vert.x's own Hazelcast configuration ({@link ConfigUtil#loadConfig()}) with the settings the
 * product's {@code ClusteredVertx} applies on top of {@code conf/cluster.xml} (cluster name, TCP-IP
 * seeds on 127.0.0.1, no multicast, no wait before join, the deadline failure detector, the same
 * heartbeat and failure timeout). No Codex-32 code, no metrics.
 */
final class BenchMember {

  /** JUL loggers are weakly referenced: keep this one so its level sticks. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private BenchMember() {
  }

  record Settings(String seed, String clusterName, long heartbeatIntervalMs, long failureTimeoutMs) {

    static Settings from(Map<String, String> args) {
      return new Settings(BenchSupport.require(args, "seed"), args.getOrDefault("cluster-name", "codex32"),
          Long.parseLong(args.getOrDefault("cluster-heartbeat-ms", "1000")),
          Long.parseLong(args.getOrDefault("failure-timeout-ms", "5000")));
    }
  }

  /** The cluster manager, so the caller can reach the Hazelcast instance once joined. */
  static HazelcastClusterManager manager(Settings settings) {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    return new HazelcastClusterManager(hazelcast(settings));
  }

  /** Hazelcast's warnings (members suspected, connections reset) to {@code file} instead of stderr. */
  static void logHazelcastTo(Path file) throws IOException {
    FileHandler handler = new FileHandler(file.toString());
    handler.setFormatter(new SimpleFormatter());
    HAZELCAST_LOG.setUseParentHandlers(false);
    HAZELCAST_LOG.addHandler(handler);
  }

  static Future<Vertx> join(HazelcastClusterManager manager) {
    EventBusOptions eventBus = new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1").setPort(0);
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(eventBus)).withClusterManager(manager).buildClustered();
  }

  private static Config hazelcast(Settings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.clusterName());
    config.setLiteMember(true);
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, settings.heartbeatIntervalMs() / 1000)));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, settings.failureTimeoutMs() / 1000)));
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(0).setPortAutoIncrement(true);
    network.setPublicAddress("127.0.0.1");
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of(settings.seed()));
    return config;
  }
}
