package io.codex32.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Hazelcast cluster membership and the clustered event bus. {@code members} are seed addresses
 * ({@code host} or {@code host:port}); on Kubernetes, {@code kubernetesServiceDns} (a headless
 * service's DNS name) finds the members instead; {@code host} is the address this process binds and
 * advertises (empty: Hazelcast picks an interface); ports 0 mean any free port. Failure detection:
 * a member silent for {@code failureTimeoutMs} is removed from the cluster. {@code tlsCert},
 * {@code tlsKey} and {@code tlsCa} (PEM files, all or none) turn the event bus to mutual TLS; they
 * are checked when the configuration loads ({@link ClusterTlsFiles}).
 */
public record ClusterConfig(boolean enabled, List<String> members, String kubernetesServiceDns, String host, int port,
    int eventBusPort, long heartbeatIntervalMs, long failureTimeoutMs, String tlsCert, String tlsKey, String tlsCa) {

  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig from(Settings s) {
    List<String> members = s.list("cluster.members");
    for (String member : members) {
      if (!MEMBER.matcher(member).matches()) {
        throw new ConfigException("cluster.members", "'" + member + "' is not host or host:port");
      }
    }
    ClusterConfig config = new ClusterConfig(s.flag("cluster.enabled"), members, s.string("cluster.kubernetes_service_dns"),
        Objects.requireNonNullElse(s.string("cluster.host"), ""),
        s.port("cluster.port"), s.port("cluster.event_bus_port"),
        s.number("cluster.heartbeat_interval_ms", 100, 60_000), s.number("cluster.failure_timeout_ms", 500, 600_000),
        s.string("cluster.tls.cert"), s.string("cluster.tls.key"), s.string("cluster.tls.ca"));
    if (config.failureTimeoutMs < 2 * config.heartbeatIntervalMs) {
      throw new ConfigException("cluster.failure_timeout_ms", "must be at least twice cluster.heartbeat_interval_ms");
    }
    ClusterTlsFiles.check(config.tlsCert, config.tlsKey, config.tlsCa);
    if (config.enabled && config.members.isEmpty() && config.kubernetesServiceDns == null) {
      throw new ConfigException("cluster.members", "a clustered process needs at least one seed member (e.g. the gateway's "
          + "host:5701; a gateway may list itself) or cluster.kubernetes_service_dns");
    }
    return config;
  }

  public boolean tls() {
    return tlsCert != null;
  }
}
