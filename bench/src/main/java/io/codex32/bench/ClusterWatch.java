package io.codex32.bench;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the bench member sees of the cluster, each event stamped with {@link System#nanoTime()} when
 * it arrived: Hazelcast members added and removed (a membership listener, called once the master
 * has told this member) and node heartbeats on {@code codex32.nodes.heartbeat}.
 */
final class ClusterWatch implements MembershipListener {

  static final String NODE_HEARTBEAT = "codex32.nodes.heartbeat";

  record MemberEvent(boolean added, UUID uuid, String address, long nanos) {
  }

  private final List<MemberEvent> members = new CopyOnWriteArrayList<>();
  private final Map<String, List<Long>> heartbeats = new ConcurrentHashMap<>();

  static Future<ClusterWatch> start(Vertx vertx, HazelcastInstance hazelcast) {
    ClusterWatch watch = new ClusterWatch();
    hazelcast.getCluster().addMembershipListener(watch);
    return vertx.eventBus().<JsonObject>consumer(NODE_HEARTBEAT, message -> watch.onHeartbeat(message.body())).completion()
        .map(watch);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    members.add(new MemberEvent(true, event.getMember().getUuid(), event.getMember().getAddress().toString(), System.nanoTime()));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    members.add(new MemberEvent(false, event.getMember().getUuid(), event.getMember().getAddress().toString(), System.nanoTime()));
  }

  private void onHeartbeat(JsonObject body) {
    long now = System.nanoTime();
    String id = body == null ? null : body.getString("id");
    if (id != null) {
      heartbeats.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(now);
    }
  }

  /** The first member added at or after {@code afterNs}. */
  MemberEvent awaitAdded(long afterNs, Duration timeout) {
    return await(() -> members.stream().filter(e -> e.added() && e.nanos() >= afterNs).findFirst().orElse(null), timeout,
        "no member joined");
  }

  /** The removal of member {@code uuid}. */
  MemberEvent awaitRemoved(UUID uuid, Duration timeout) {
    return await(() -> members.stream().filter(e -> !e.added() && e.uuid().equals(uuid)).findFirst().orElse(null), timeout,
        "member " + uuid + " was not removed");
  }

  /** When the first heartbeat of node {@code id} at or after {@code afterNs} arrived. */
  long awaitHeartbeat(String id, long afterNs, Duration timeout) {
    return await(() -> heartbeats.getOrDefault(id, List.of()).stream().filter(t -> t >= afterNs).findFirst().orElse(null), timeout,
        "no heartbeat from " + id);
  }

  /** When the last heartbeat of node {@code id} before {@code beforeNs} arrived, or -1. */
  long lastHeartbeat(String id, long beforeNs) {
    return heartbeats.getOrDefault(id, List.of()).stream().filter(t -> t < beforeNs).reduce((a, b) -> b).orElse(-1L);
  }

  /** Heartbeats of node {@code id} that arrived at or after {@code afterNs}. */
  long heartbeatsSince(String id, long afterNs) {
    return heartbeats.getOrDefault(id, List.of()).stream().filter(t -> t >= afterNs).count();
  }

  interface Probe<T> {
    T get();
  }

  private static <T> T await(Probe<T> probe, Duration timeout, String failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
