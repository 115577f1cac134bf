package io.codex32.supervisor;

import io.codex32.bot.Bot;
import io.codex32.bot.DesiredState;
import io.codex32.bot.Placement;
import io.codex32.nodes.NodeView;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Chooses the node of a bot placed by a label selector: an online node carrying every label of the
 * selector, the one with the fewest bots meant to run there first, ties broken by node id. Bots are
 * counted from the store (desired state running, by assigned or named node), not from heartbeats,
 * so that starts in quick succession spread out before any node has reported them.
 */
public final class BotScheduler {

  private final Supplier<List<NodeView>> nodes;

  /** {@code nodes}: the nodes this gateway knows, online or not (its registry). */
  public BotScheduler(Supplier<List<NodeView>> nodes) {
    this.nodes = nodes;
  }

  /**
   * Whether a start has to choose a node for the bot: it is placed by labels and has none, or its
   * node went offline or no longer carries the labels while no process of the bot can be there
   * (a bot that may still run somewhere is never moved: no bot runs on two nodes).
   */
  public boolean needsNode(Bot bot) {
    Placement placement = bot.spec().placement();
    if (!placement.bySelector()) {
      return false;
    }
    return bot.node() == null || !bot.status().mayHaveProcess() && !fits(placement, bot.node());
  }

  /** The node for {@code bot}, or empty when no online node carries its labels. {@code all}: every stored bot. */
  public Optional<String> choose(Bot bot, Collection<Bot> all) {
    Placement placement = bot.spec().placement();
    Map<String, Long> placed = all.stream()
        .filter(other -> !other.id().equals(bot.id()) && other.desiredState() == DesiredState.RUNNING && other.node() != null)
        .collect(Collectors.groupingBy(Bot::node, Collectors.counting()));
    return nodes.get().stream()
        .filter(node -> node.online() && placement.matches(node.heartbeat().labels()))
        .min(Comparator.comparingLong((NodeView node) -> placed.getOrDefault(node.id(), 0L)).thenComparing(NodeView::id))
        .map(NodeView::id);
  }

  private boolean fits(Placement placement, String nodeId) {
    return nodes.get().stream()
        .anyMatch(node -> node.id().equals(nodeId) && node.online() && placement.matches(node.heartbeat().labels()));
  }
}
