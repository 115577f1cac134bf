package io.codex32.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.codex32.config.ClusterConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the configuration becomes in Hazelcast's terms: the contract between conf files and the cluster's behaviour. */
class ClusteredVertxTest {

  private static ClusterConfig cluster(List<String> members, String kubernetesDns, String host, int port) {
    return new ClusterConfig(true, members, kubernetesDns, host, port, 0, 1000, 5000, null, null, null);
  }

  @Test
  void seedsWithoutPortGetHazelcastsDefaultAndMulticastStaysOff() {
    Config config = ClusteredVertx.hazelcast(cluster(List.of("10.0.0.1", "10.0.0.2:5702", "[fd00::1]"), null, "10.0.0.3", 5701), false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5702", "[fd00::1]:5701");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getPublicAddress()).isEqualTo("10.0.0.3");
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.3");
    assertThat(config.isLiteMember()).isFalse();
  }

  @Test
  void edgeNodesAreLiteMembersAndTimingFollowsTheConfiguration() {
    Config config = ClusteredVertx.hazelcast(cluster(List.of("gw"), null, "", 0), true);
    assertThat(config.isLiteMember()).isTrue();
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    // conf/cluster.xml brought the maps the Vert.x cluster manager relies on
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getClusterName()).isEqualTo("codex32");
  }

  @Test
  void onKubernetesTheHeadlessServiceFindsTheMembers() {
    Config config = ClusteredVertx.hazelcast(cluster(List.of(), "codex32-gateway.codex32.svc.cluster.local", "", 5701), false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("codex32-gateway.codex32.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
  }
}
