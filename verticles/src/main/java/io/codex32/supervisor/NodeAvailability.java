package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeView;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows other nodes coming and going, on the leading gateway only. When a node is lost, its bots
 * become {@code unknown} (their last report may no longer hold); when a node appears or returns, it
 * is sent the desired state of its bots and asked to report what it actually runs, and bots waiting
 * for a node are placed. While leading, every online node's drift from the desired state is
 * corrected and waiting bots are placed every {@code driftInterval}.
 *
 * <p>A gateway that becomes leader has heard nothing of the nodes that died before it (or while it
 * was down): one {@code offlineAfter} after the election, the bots of every node that has not
 * reported since become {@code unknown} too.
 */
public final class NodeAvailability {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAvailability.class);

  private final Vertx vertx;
  private final BotService bots;
  private final ExecutorClient executors;
  private final String ownNode;
  private final Leadership leadership;
  private final NodeRegistry registry;

  public NodeAvailability(Vertx vertx, BotService bots, ExecutorClient executors, String ownNode, Leadership leadership,
      NodeRegistry registry) {
    this.vertx = vertx;
    this.bots = bots;
    this.executors = executors;
    this.ownNode = ownNode;
    this.leadership = leadership;
    this.registry = registry;
  }

  /** Follows the registry, and corrects drift every {@code driftIntervalMs} while leading; returns the timer. */
  public long start(long driftIntervalMs) {
    registry.onTransition(this::changed);
    leadership.onElected(this::elected);
    return vertx.setPeriodic(driftIntervalMs, id -> correctDrift());
  }

  private void elected() {
    Instant electedAt = Instant.now();
    registry.list().stream().filter(node -> node.online() && !node.id().equals(ownNode)).forEach(this::reconcile);
    placeWaiting();
    vertx.setTimer(registry.offlineAfter().toMillis(), id -> loseSilentNodes(electedAt));
  }

  private void correctDrift() {
    if (leadership.isLeader()) {
      registry.list().stream().filter(NodeView::online).forEach(node -> bots.correctDrift(node.id()));
      placeWaiting();
    }
  }

  private void changed(NodeView node) {
    if (!leadership.isLeader()) {
      return;
    }
    if (node.online()) {
      placeWaiting();
    }
    if (node.id().equals(ownNode)) {
      return;
    }
    if (node.online()) {
      reconcile(node);
    } else {
      markLost(node.id(), "node_lost: no heartbeat from node '" + node.id() + "' for " + secondsSince(node.lastSeen()) + " s");
    }
  }

  private void reconcile(NodeView node) {
    LOG.info("node {} is online: sending its bots' desired state", node.id());
    bots.reconcile(node.id())
        .compose(v -> executors.report(node.id()))
        .onFailure(failure -> LOG.warn("node {} could not be reconciled: {}", node.id(), failure.getMessage()));
  }

  private void placeWaiting() {
    bots.placement().placeWaiting().onFailure(failure -> LOG.warn("bots waiting for a node not placed: {}", failure.getMessage()));
  }

  /** The bots of every other node that has not reported since {@code electedAt} become unknown. */
  private void loseSilentNodes(Instant electedAt) {
    if (!leadership.isLeader()) {
      return;
    }
    bots.registry().nodesInUse().onSuccess(nodes -> nodes.stream().filter(id -> !id.equals(ownNode)).forEach(id -> {
      Optional<NodeView> seen = registry.find(id);
      if (seen.isEmpty()) {
        markLost(id, "node_lost: no heartbeat from node '" + id + "' since this gateway took the lead " + secondsSince(electedAt)
            + " s ago");
      } else if (!seen.get().online()) {
        markLost(id, "node_lost: no heartbeat from node '" + id + "' for " + secondsSince(seen.get().lastSeen()) + " s");
      }
    })).onFailure(failure -> LOG.warn("nodes silent since the election not checked: {}", failure.getMessage()));
  }

  private static long secondsSince(Instant time) {
    return Duration.between(time, Instant.now()).toSeconds();
  }

  private void markLost(String nodeId, String reason) {
    bots.statuses().lostNodeEvents(nodeId, reason)
        .onSuccess(events -> {
          if (!events.isEmpty()) {
            LOG.warn("node {} is offline; its {} bot(s) are now unknown", nodeId, events.size());
          }
          events.forEach(event -> vertx.eventBus().publish(Addresses.BOT_EVENTS, event.toJson()));
        })
        .onFailure(failure -> LOG.warn("bots of lost node {} not marked unknown: {}", nodeId, failure.getMessage()));
  }
}
