package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.ExecutorReply;
import io.codex32.bus.ExecutorRequest;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this node on {@code codex32.nodes.heartbeat} at start and then every interval: identity,
 * capacity, host load (read off the event loop) and the number of bots its executor supervises.
 */
public final class NodeHeartbeatVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeatVerticle.class);
  private static final long EXECUTOR_TIMEOUT_MS = 2000;

  private final NodeIdentity identity;
  private final long intervalMs;
  private final Clock clock;
  private SystemLoad systemLoad;
  private long timer = -1;
  private boolean beating;

  /** Deploys the announcer of this process's node (the identity is read off the event loop). */
  public static Future<String> deploy(Vertx vertx, NodeConfig node, Clock clock) {
    return vertx.executeBlocking(() -> NodeIdentity.local(node.id(), node.labels()))
        .compose(identity -> vertx.deployVerticle(new NodeHeartbeatVerticle(identity, node.heartbeatIntervalMs(), clock)));
  }

  public NodeHeartbeatVerticle(NodeIdentity identity, long intervalMs, Clock clock) {
    this.identity = identity;
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(SystemLoad::new)
        .compose(load -> {
          systemLoad = load;
          timer = vertx.setPeriodic(intervalMs, id -> beat());
          return beat();
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private Future<Void> beat() {
    if (beating) {
      return Future.succeededFuture();
    }
    beating = true;
    Future<SystemLoad.Reading> reading = vertx.executeBlocking(systemLoad::read, false);
    Future<Integer> bots = botCount();
    return Future.all(reading, bots)
        .map(all -> heartbeat(reading.result(), bots.result()))
        .onSuccess(heartbeat -> vertx.eventBus().publish(Addresses.NODE_HEARTBEAT, heartbeat.toJson()))
        .onFailure(failure -> LOG.warn("node heartbeat not sent: {}", failure.getMessage()))
        .onComplete(done -> beating = false)
        .mapEmpty();
  }

  /** The executor's count; a node whose executor does not answer still announces itself, with 0 bots. */
  private Future<Integer> botCount() {
    ExecutorRequest summary = new ExecutorRequest.Summary();
    return vertx.eventBus().request(Addresses.executor(identity.id()), summary.toJson(),
            new DeliveryOptions().setSendTimeout(EXECUTOR_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> ((ExecutorReply.BotCount) ExecutorReply.fromJson(summary, reply.body())).bots())
        .recover(failure -> Future.succeededFuture(0));
  }

  private NodeHeartbeat heartbeat(SystemLoad.Reading load, int bots) {
    return new NodeHeartbeat(identity.id(), identity.hostname(), identity.labels(), load.cores(), load.memoryMb(), load.cpuPercent(),
        load.memoryUsedMb(), load.loadAverage(), identity.version(), bots, clock.instant(), null);
  }
}
