package io.codex32.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.codex32.bus.Addresses;
import io.codex32.bus.BotEvent;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ExecutorRequest;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.codex32.config.ClusterConfig;
import io.codex32.supervisor.EventBusExecutorClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge node's tie to the cluster, kept apart from the Vert.x its executor runs on, so that the
 * node starts, runs and restarts its bots whether or not a gateway is reachable. While a gateway
 * (a Hazelcast data member) is reachable, a clustered Vert.x (lite member) carries executor
 * commands and bots' heartbeats in and the node's events out; when the last gateway leaves, that
 * Vert.x is dropped and joins are retried: each time a seed accepts a TCP connection, with backoff
 * after failed joins. Bot status events published meanwhile wait in an {@link EventBuffer}; they
 * are sent again on the next join and when the leading gateway asks the node for its report, and
 * let go only after such a report, once no longer recent. Live-only traffic (node heartbeats,
 * metrics samples, log lines) is dropped while disconnected: it is stale by the time a gateway
 * returns, and logs stay on disk.
 */
public final class ClusterLink extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);
  private static final long MAX_JOIN_BACKOFF_MS = 30_000;
  private static final int PROBE_TIMEOUT_MS = 1_000;
  private static final long COMMAND_TIMEOUT_MS = EventBusExecutorClient.TIMEOUT_MS;
  /** A spoken command's action (a bot start) is answered by the gateway within seconds. */
  private static final long CHAT_TIMEOUT_MS = 18_000;
  private static final Executor JOINER = command -> {
    Thread thread = new Thread(command, "codex32-cluster-join");
    thread.setDaemon(true);
    thread.start();
  };

  private final ClusterConfig cluster;
  private final String nodeId;
  private final long rejoinIntervalMs;
  private final EventBuffer buffer;
  private NetClient probes;
  private volatile Vertx clustered;
  private HazelcastInstance hazelcast;
  private Instant connectedSince;
  private boolean joining;
  private boolean reportedSinceJoin;
  private int failedJoins;
  private long nextJoinAt;
  private long joins;

  /**
   * {@code eventBuffer}: status events kept at most while no gateway is reachable;
   * {@code rejoinIntervalMs}: how often a reachable seed is looked for.
   */
  public ClusterLink(ClusterConfig cluster, String nodeId, int eventBuffer, long rejoinIntervalMs) {
    this.cluster = cluster;
    this.nodeId = nodeId;
    this.rejoinIntervalMs = rejoinIntervalMs;
    this.buffer = new EventBuffer(eventBuffer, 2 * cluster.failureTimeoutMs() + cluster.heartbeatIntervalMs());
  }

  @Override
  public Future<?> start() {
    probes = vertx.createNetClient(new NetClientOptions().setConnectTimeout(PROBE_TIMEOUT_MS));
    registerMeters();
    vertx.eventBus().addOutboundInterceptor(this::outbound);
    vertx.eventBus().consumer(Addresses.CHAT, this::toGateway);
    vertx.setPeriodic(0, rejoinIntervalMs, id -> {
      if (clustered != null && reportedSinceJoin) {
        // Until then, what was sent may have reached no listener (a gateway starting up) or none
        // at all (one that vanished before the loss was noticed): keep it.
        buffer.trim(System.currentTimeMillis());
      }
      if (clustered == null && !joining && System.currentTimeMillis() >= nextJoinAt) {
        tryJoin();
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    Vertx current = clustered;
    clustered = null;
    return current == null ? Future.succeededFuture() : current.close();
  }

  /** What {@code /health} shows of the link. */
  public Future<JsonObject> status() {
    Promise<JsonObject> status = Promise.promise();
    context.runOnContext(v -> status.complete(new JsonObject()
        .put("connected", clustered != null)
        .put("since", connectedSince == null ? null : connectedSince.toString())
        .put("joins", joins)
        .put("events_buffered", buffer.size())
        .put("events_dropped", buffer.dropped())
        .put("events_replayed", buffer.replayed())));
    return status.future();
  }

  /** The link's state on the node's Prometheus {@code /metrics} (read from the scraping thread: a sample may be a moment old). */
  private void registerMeters() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    Gauge.builder("codex32.cluster.connected", this, link -> link.clustered != null ? 1 : 0)
        .description("1 while a gateway is reachable and this node is in the cluster").register(registry);
    Gauge.builder("codex32.cluster.events.buffered", buffer, EventBuffer::size)
        .description("Bot status events kept for the gateways").register(registry);
    FunctionCounter.builder("codex32.cluster.events.dropped", buffer, EventBuffer::dropped)
        .description("Bot status events dropped unsent: the buffer was full while no gateway was reachable").register(registry);
    FunctionCounter.builder("codex32.cluster.events.replayed", buffer, EventBuffer::replayed)
        .description("Bot status events sent again on joining or on the leader's report").register(registry);
  }

  // ---- outbound: the node's events to the cluster ---------------------------------------------

  private <T> void outbound(DeliveryContext<T> delivery) {
    String address = delivery.message().address();
    if (!delivery.send() && delivery.body() instanceof JsonObject body && forCluster(address)) {
      JsonObject copy = body.copy();
      context.runOnContext(v -> forward(address, copy));
    }
    delivery.next();
  }

  /**
   * Bot events, node heartbeats, log lines, GPIO events and voice partials go to the cluster while a gateway is
   * there. Bot status transitions are also kept for a gateway that is not there (yet); the rest
   * (heartbeats, metrics samples, log lines, input changes) is live-only and dropped while
   * disconnected.
   */
  private static boolean forCluster(String address) {
    return address.equals(Addresses.BOT_EVENTS) || address.equals(Addresses.NODE_HEARTBEAT) || address.startsWith(Addresses.botLogs(""))
        || address.equals(Addresses.GPIO_EVENTS) || address.startsWith(Addresses.voicePartials(""));
  }

  private void forward(String address, JsonObject body) {
    JsonObject sent;
    BotEvent.Status kept = null;
    try {
      if (address.equals(Addresses.NODE_HEARTBEAT)) {
        sent = NodeHeartbeat.fromJson(body).withLink(new NodeHeartbeat.LinkCounters(buffer.dropped(), buffer.replayed())).toJson();
      } else {
        sent = body;
        if (address.equals(Addresses.BOT_EVENTS) && BotEvent.fromJson(body) instanceof BotEvent.Status status) {
          kept = status;
        }
      }
    } catch (UnreadableMessage e) {
      LOG.warn("not sent to the cluster, unreadable message on {}: {}", address, e.getMessage());
      return;
    }
    if (clustered != null) {
      clustered.eventBus().publish(address, sent);
    }
    if (kept != null && clustered != null) {
      buffer.addSent(kept, System.currentTimeMillis());
    } else if (kept != null) {
      buffer.addUnsent(kept);
    }
  }

  // ---- joining and leaving --------------------------------------------------------------------

  private void tryJoin() {
    joining = true;
    anySeedReachable()
        .compose(reachable -> reachable ? join() : Future.succeededFuture(false))
        .onComplete(joined -> {
          joining = false;
          if (joined.failed()) {
            failedJoins++;
            long backoff = Math.min(MAX_JOIN_BACKOFF_MS, rejoinIntervalMs << Math.min(failedJoins, 10));
            nextJoinAt = System.currentTimeMillis() + backoff;
            LOG.info("could not join the cluster ({}); next try in {} ms", joined.cause().getMessage(), backoff);
          }
        });
  }

  /** True when some seed member accepts a TCP connection (always true with Kubernetes discovery). */
  private Future<Boolean> anySeedReachable() {
    if (cluster.kubernetesServiceDns() != null) {
      return Future.succeededFuture(true);
    }
    List<Future<Boolean>> probesDone = cluster.members().stream().map(ClusteredVertx::withPort).map(member -> {
      int colon = member.lastIndexOf(':');
      String host = member.substring(0, colon).replace("[", "").replace("]", "");
      return probes.connect(Integer.parseInt(member.substring(colon + 1)), host)
          .compose(socket -> socket.close().map(true))
          .otherwise(false);
    }).toList();
    return Future.join(probesDone).map(all -> probesDone.stream().anyMatch(Future::result));
  }

  private Future<Boolean> join() {
    // One event loop is plenty: the link only relays.
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4);
    ClusteredVertx.eventBus(options.getEventBusOptions(), cluster);
    // Off this Vert.x's threads: the Hazelcast configuration is read from the jar, and a Vert.x made
    // on another one's event loop would take that loop for its own context.
    return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
      HazelcastClusterManager manager = new HazelcastClusterManager(ClusteredVertx.hazelcast(cluster, true));
      return Vertx.builder().with(options).withClusterManager(manager).buildClustered().map(joined -> new Member(joined, manager));
    }, JOINER))
        .compose(building -> building)
        .compose(member -> relay(member.vertx())
            .recover(failure -> member.vertx().close().transform(ignored -> Future.failedFuture(failure)))
            .map(member))
        .transform(joined -> {
          // completes on the new Vert.x's threads: take the result back to this link's event loop
          Promise<Boolean> promise = Promise.promise();
          context.runOnContext(v -> {
            if (joined.failed()) {
              promise.fail(joined.cause());
            } else {
              connected(joined.result().vertx(), joined.result().manager().getHazelcastInstance());
              promise.complete(true);
            }
          });
          return promise.future();
        });
  }

  /** A clustered Vert.x and its cluster manager. */
  private record Member(Vertx vertx, HazelcastClusterManager manager) {
  }

  /**
   * Registers this node's executor, GPIO, voice and microphone addresses and the bots' heartbeat
   * address on the cluster.
   */
  private Future<Void> relay(Vertx joined) {
    String executor = Addresses.executor(nodeId);
    String gpio = Addresses.gpio(nodeId);
    String voice = Addresses.voice(nodeId);
    String microphone = Addresses.microphone(nodeId);
    return joined.eventBus().consumer(executor, message -> context.runOnContext(v -> command(executor, message)))
        .completion()
        .compose(v -> joined.eventBus().consumer(gpio, message -> context.runOnContext(ignored -> pass(gpio, message, "gpio_unavailable")))
            .completion())
        .compose(v -> joined.eventBus()
            .consumer(voice, message -> context.runOnContext(ignored -> pass(voice, message, "voice_unavailable"))).completion())
        .compose(v -> joined.eventBus().consumer(microphone,
            message -> context.runOnContext(ignored -> pass(microphone, message, "microphone_unavailable"))).completion())
        .compose(v -> joined.eventBus().<JsonObject>consumer(Addresses.BOT_HEARTBEATS,
            message -> context.runOnContext(ignored -> vertx.eventBus().publish(Addresses.BOT_HEARTBEATS, message.body())))
            .completion());
  }

  private void command(String address, Message<Object> message) {
    ExecutorRequest request;
    try {
      request = ExecutorRequest.fromJson(message.body());
    } catch (UnreadableMessage e) {
      BusFailures.fail(message, e, "executor_unavailable");
      return;
    }
    if (request instanceof ExecutorRequest.Report) {
      // The leading gateway asks what this node runs: it is up and listening, so what the node owes
      // goes first (again), and its current state follows.
      reportedSinceJoin = true;
      replay(clustered, "the leading gateway asked for a report");
    }
    pass(address, message, "executor_unavailable");
  }

  /**
   * Hands a request from the cluster to this node's own bus and its answer back. A failure of the
   * node's verticle goes back as it is (its code and its {"code","message"}); no answer is a 503
   * {@code unavailable}.
   */
  private void pass(String address, Message<Object> message, String unavailable) {
    vertx.eventBus().request(address, message.body(), new DeliveryOptions().setSendTimeout(COMMAND_TIMEOUT_MS))
        .onSuccess(reply -> message.reply(reply.body()))
        .onFailure(failure -> {
          if (failure instanceof ReplyException e) {
            message.fail(e.failureCode(), e.getMessage());
          } else {
            BusFailures.fail(message, failure, unavailable);
          }
        });
  }

  /**
   * A request of this node's microphone to the gateways' chat ({@code codex32.chat}), sent on while
   * a gateway is there; otherwise, or when none answers, 503 {@code gateway_unavailable}.
   */
  private void toGateway(Message<Object> message) {
    Vertx current = clustered;
    if (current == null) {
      BusFailures.fail(message, noGateway(null), "gateway_unavailable");
      return;
    }
    current.eventBus().request(Addresses.CHAT, message.body(), new DeliveryOptions().setSendTimeout(CHAT_TIMEOUT_MS))
        .onComplete(answer -> context.runOnContext(v -> {
          if (answer.succeeded()) {
            message.reply(answer.result().body());
          } else if (answer.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            message.fail(e.failureCode(), e.getMessage());
          } else {
            BusFailures.fail(message, noGateway(answer.cause()), "gateway_unavailable");
          }
        }));
  }

  private static Codex32Exception noGateway(Throwable cause) {
    return Codex32Exception.unavailable("gateway_unavailable", "Spoken commands need a gateway, and none is reachable.", cause);
  }

  private void connected(Vertx joined, HazelcastInstance instance) {
    clustered = joined;
    hazelcast = instance;
    connectedSince = Instant.now();
    failedJoins = 0;
    joins++;
    instance.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> checkGateways(instance));
      }
    });
    instance.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.SHUTTING_DOWN) {
        context.runOnContext(v -> lost(instance, "the cluster member shut down"));
      }
    });
    reportedSinceJoin = false;
    LOG.info("joined the cluster ({} gateway(s))", dataMembers(instance));
    replay(joined, "joined the cluster");
    checkGateways(instance);
  }

  private void replay(Vertx target, String why) {
    if (target == null || buffer.size() == 0) {
      return;
    }
    List<BotEvent.Status> replay = buffer.replay(System.currentTimeMillis());
    replay.forEach(event -> target.eventBus().publish(Addresses.BOT_EVENTS, event.toJson()));
    LOG.info("{}: {} bot status event(s) sent again", why, replay.size());
  }

  private void checkGateways(HazelcastInstance instance) {
    if (instance == hazelcast && dataMembers(instance) == 0) {
      lost(instance, "no gateway is left in the cluster");
    }
  }

  private static long dataMembers(HazelcastInstance instance) {
    try {
      return instance.getCluster().getMembers().stream().filter(member -> !member.isLiteMember()).count();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Drops the clustered Vert.x: status events wait in the buffer until the next join. */
  private void lost(HazelcastInstance instance, String why) {
    if (instance != hazelcast) {
      return;
    }
    Vertx old = clustered;
    clustered = null;
    hazelcast = null;
    connectedSince = null;
    nextJoinAt = 0;
    LOG.warn("left the cluster: {}; bots keep running, status events are kept for the next join", why);
    old.close().timeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(failure -> {
          LOG.debug("closing the dropped cluster member: {}", failure.getMessage());
          vertx.executeBlocking(() -> {
            instance.getLifecycleService().terminate();
            return null;
          }, false);
        });
  }
}
