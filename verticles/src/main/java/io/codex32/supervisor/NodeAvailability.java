package io.codex32.supervisor;

import io.codex32.bus.Addresses;
import io.codex32.executor.ExecutorClient;
import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeView;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows other nodes coming and going, on the leading gateway only. When a node is lost, its bots
 * become {@code unknown} (their last report may no longer hold); when a node appears or returns, it
 * is sent the desired state of its bots and asked to report what it actually runs. While leading,
 * every online node's drift from the desired state is corrected every {@code driftInterval}.
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
    leadership.onElected(() -> registry.list().stream().filter(NodeView::online).forEach(this::changed));
    return vertx.setPeriodic(driftIntervalMs, id -> correctDrift());
  }

  private void correctDrift() {
    if (leadership.isLeader()) {
      registry.list().stream().filter(NodeView::online).forEach(node -> bots.correctDrift(node.id()));
    }
  }

  private void changed(NodeView node) {
    if (node.id().equals(ownNode) || !leadership.isLeader()) {
      return;
    }
    if (node.online()) {
      LOG.info("node {} is online: sending its bots' desired state", node.id());
      bots.reconcile(node.id())
          .compose(v -> executors.query(node.id(), new JsonObject().put("action", "report")))
          .onFailure(failure -> LOG.warn("node {} could not be reconciled: {}", node.id(), failure.getMessage()));
    } else {
      long silentS = Duration.between(node.lastSeen(), Instant.now()).toSeconds();
      String reason = "node_lost: no heartbeat from node '" + node.id() + "' for " + silentS + " s";
      LOG.warn("node {} is offline; its bots are now unknown", node.id());
      bots.lostNodeEvents(node.id(), reason)
          .onSuccess(events -> events.forEach(event -> vertx.eventBus().publish(Addresses.BOT_EVENTS, event)))
          .onFailure(failure -> LOG.warn("bots of lost node {} not marked unknown: {}", node.id(), failure.getMessage()));
    }
  }
}
