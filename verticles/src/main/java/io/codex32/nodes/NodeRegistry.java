package io.codex32.nodes;

import io.codex32.bus.Addresses;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.codex32.live.NodeLiveState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes this gateway has heard from. A node is online while its heartbeats keep coming; after
 * {@code offlineAfter} without one it is offline (kept, with its last heartbeat, until it returns).
 * What nodes said is also kept in the shared node live state, where a gateway that starts later
 * finds the nodes that fell silent before it started.
 * Every change of a node's view is published, local to this gateway, on {@code codex32.nodes.events}.
 */
public final class NodeRegistry {

  /** How often offline nodes are looked for; bounds how late an offline transition is seen. */
  static final long SWEEP_INTERVAL_MS = 500;
  /** Nodes remembered at most: a heartbeat flood of invented ids cannot grow memory without bound. */
  static final int MAX_NODES = 10_000;
  /** How long a silent node stays listed in the shared state (each heartbeat renews it). */
  static final Duration REMEMBERED_FOR = Duration.ofDays(7);
  /** Added to a node's heartbeat in the shared live state: when this gateway last heard of it. */
  private static final String LAST_SEEN = "last_seen";
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

  private final Clock clock;
  private final Duration offlineAfter;
  private final NodeLiveState shared;
  private final Map<String, NodeView> nodes = new ConcurrentHashMap<>();
  private final List<Consumer<NodeView>> transitionListeners = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private long sweepTimer = -1;

  /**
   * {@code shared}: where every gateway keeps what nodes last said (Redis when configured), so that
   * a gateway started later lists the nodes that went silent before it started too.
   */
  public NodeRegistry(Clock clock, Duration offlineAfter, NodeLiveState shared) {
    this.clock = clock;
    this.offlineAfter = offlineAfter;
    this.shared = shared;
  }

  /** Learns the nodes other gateways heard of (as offline until they report here), then listens for heartbeats. */
  public Future<Void> register(Vertx vertx) {
    this.vertx = vertx;
    return shared.nodes().otherwise(List.of()).compose(known -> {
      known.forEach(this::remember);
      sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweep());
      return vertx.eventBus().consumer(Addresses.NODE_HEARTBEAT, message -> onHeartbeat(message.body())).completion();
    });
  }

  /** A node another gateway heard of: listed offline, with its last heartbeat, until it reports here. */
  private void remember(JsonObject entry) {
    NodeHeartbeat heartbeat;
    try {
      heartbeat = NodeHeartbeat.fromJson(entry);
    } catch (UnreadableMessage e) {
      return;
    }
    if (nodes.size() >= MAX_NODES) {
      return;
    }
    Instant lastSeen;
    try {
      lastSeen = Instant.parse(entry.getString(LAST_SEEN, heartbeat.time().toString()));
    } catch (DateTimeParseException | ClassCastException e) {
      lastSeen = heartbeat.time();
    }
    nodes.putIfAbsent(heartbeat.id(), new NodeView(heartbeat, lastSeen, false));
  }

  public void close() {
    if (vertx != null) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  /**
   * Called on this registry's event loop whenever a node comes online (first heartbeat, or the
   * first after it was offline) or goes offline.
   */
  public void onTransition(Consumer<NodeView> listener) {
    transitionListeners.add(listener);
  }

  /** Every known node, ordered by id. */
  public List<NodeView> list() {
    return nodes.values().stream().sorted(Comparator.comparing(NodeView::id)).toList();
  }

  /** The node's view, if it has ever reported. */
  public Optional<NodeView> find(String id) {
    return Optional.ofNullable(nodes.get(id));
  }

  /** How long a node may stay silent before it counts as offline. */
  public Duration offlineAfter() {
    return offlineAfter;
  }

  public Future<NodeView> get(String id) {
    NodeView view = nodes.get(id);
    return view == null ? Future.failedFuture(Codex32Exception.notFound("no node '" + id + "' has reported"))
        : Future.succeededFuture(view);
  }

  private void onHeartbeat(Object body) {
    NodeHeartbeat heartbeat;
    try {
      heartbeat = NodeHeartbeat.fromJson(body);
    } catch (UnreadableMessage e) {
      LOG.warn("node heartbeat dropped: {}", e.getMessage());
      return;
    }
    if (!nodes.containsKey(heartbeat.id()) && nodes.size() >= MAX_NODES) {
      return;
    }
    NodeView view = new NodeView(heartbeat, clock.instant(), true);
    NodeView previous = nodes.put(heartbeat.id(), view);
    shared.putNode(heartbeat.id(), heartbeat.toJson().put(LAST_SEEN, view.lastSeen().toString()), REMEMBERED_FOR);
    announce(view);
    if (previous == null || !previous.online()) {
      transitionListeners.forEach(listener -> listener.accept(view));
    }
  }

  private void sweep() {
    Instant cutoff = clock.instant().minus(offlineAfter);
    for (NodeView view : nodes.values()) {
      if (view.online() && view.lastSeen().isBefore(cutoff)) {
        NodeView offline = new NodeView(view.heartbeat(), view.lastSeen(), false);
        if (nodes.replace(view.id(), view, offline)) {
          announce(offline);
          transitionListeners.forEach(listener -> listener.accept(offline));
        }
      }
    }
  }

  private void announce(NodeView view) {
    vertx.eventBus().publish(Addresses.NODE_EVENTS, view.toEvent().toJson(), new DeliveryOptions().setLocalOnly(true));
  }
}
