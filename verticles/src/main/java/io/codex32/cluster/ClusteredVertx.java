package io.codex32.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.codex32.config.ClusterConfig;
import io.codex32.metrics.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A Vert.x instance on the clustered event bus. Gateways are Hazelcast data members (they hold the
 * cluster's maps and locks); edge nodes join as lite members, which hold no data, so a Pi leaving
 * never costs the cluster a partition. Seeds over TCP/IP only, multicast off.
 */
public final class ClusteredVertx {

  /** Hazelcast's default port, used for a seed given without one. */
  static final int DEFAULT_PORT = 5701;
  private static final String CLUSTER_XML = "conf/cluster.xml";

  private ClusteredVertx() {
  }

  /** Joins the cluster; {@code liteMember} for edge nodes. */
  public static Future<Vertx> start(VertxOptions options, ClusterConfig cluster, boolean liteMember) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(cluster, liteMember));
    eventBus(options.getEventBusOptions(), cluster);
    return VertxFactory.createClustered(options, manager);
  }

  static Config hazelcast(ClusterConfig cluster, boolean liteMember) {
    Config config = baseConfig();
    config.setLiteMember(liteMember);
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, cluster.heartbeatIntervalMs() / 1000)));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, cluster.failureTimeoutMs() / 1000)));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(cluster.port() == 0);
    if (!cluster.host().isEmpty()) {
      network.setPublicAddress(cluster.host());
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().stream().map(ClusteredVertx::withPort).toList());
    }
    return config;
  }

  /**
   * conf/cluster.xml from the jar (the maps Vert.x relies on, multicast off, fast join), or the file
   * named by {@code -Dvertx.hazelcast.config}.
   */
  private static Config baseConfig() {
    if (System.getProperty("vertx.hazelcast.config") != null) {
      return ConfigUtil.loadConfig();
    }
    try (InputStream in = ClusteredVertx.class.getClassLoader().getResourceAsStream(CLUSTER_XML)) {
      if (in == null) {
        throw new IllegalStateException(CLUSTER_XML + " is missing from the jar");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applied on top of the caller's event-bus options, so settings without a {@code cluster.*} key survive. */
  static void eventBus(EventBusOptions options, ClusterConfig cluster) {
    options.setPort(cluster.eventBusPort());
    if (!cluster.host().isEmpty()) {
      options.setHost(cluster.host()).setClusterPublicHost(cluster.host());
    }
    if (cluster.tls()) {
      // Vert.x's event bus trusts every certificate and asks for none unless told otherwise: both
      // ends must prove they hold a certificate of the cluster's CA.
      options.setSsl(true)
          .setTrustAll(false)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cluster.tlsCert()).setKeyPath(cluster.tlsKey()))
          .setTrustOptions(new PemTrustOptions().addCertPath(cluster.tlsCa()));
    }
  }

  static String withPort(String member) {
    boolean hasPort = member.startsWith("[") ? member.contains("]:") : member.indexOf(':') > 0 && member.indexOf(':') == member
        .lastIndexOf(':');
    return hasPort ? member : member + ":" + DEFAULT_PORT;
  }
}
