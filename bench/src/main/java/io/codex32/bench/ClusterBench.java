package io.codex32.bench;

import static io.codex32.bench.BenchSupport.intArg;
import static io.codex32.bench.BenchSupport.require;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Cluster benchmark (see docs/benchmarks.md, "Cluster"); driven by bench/cluster.sh, which starts a
 * clustered gateway first. Subcommands, arguments as {@code --name=value}:
 * <ul>
 *   <li>{@code run}: joins the gateway's cluster as a lite member (the bench member) and, starting
 *   every other process itself: (1) sequential request/reply to an edge node's executor
 *   ({@code {"action":"summary"}}) against a NetSocket ping-pong with the same bodies to a
 *   {@code net-server} process; (2) join times of edge-node jars and of bare members; (3) node
 *   loss: kill -9 of an edge node, until Hazelcast removes it and until the gateway lists it
 *   offline; (4) RSS of an edge node against a bare member. Writes {@code out} (JSON) and
 *   {@code md} (the Markdown tables).</li>
 *   <li>{@code bare-member}: a clustered Vert.x lite member with no Codex-32 code ({@link BenchMember});
 *   prints {@code bench-member: joined} and stays until SIGTERM.</li>
 *   <li>{@code net-server}: the reference server ({@link PingPong}); prints its port and stays until SIGTERM.</li>
 *   <li>{@code report}: prints the Markdown tables again from a kept {@code json} (bench/target/last-cluster-run/results.json).</li>
 * </ul>
 */
public final class ClusterBench {

  static final String EDGE_UP = "is up on port";
  static final String MEMBER_JOINED = "bench-member: joined";
  static final String NET_LISTENING = "net-server: listening on 127.0.0.1:";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOSS_TIMEOUT = Duration.ofSeconds(60);
  private static final String PRIMARY_EDGE = "bench-edge";

  private final Map<String, String> args;

  private ClusterBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      throw new IllegalArgumentException("usage: ClusterBench run|bare-member|net-server|report --name=value ...");
    }
    ClusterBench bench = new ClusterBench(BenchSupport.parseArgs(argv, 1));
    switch (argv[0]) {
      case "run" -> bench.run();
      case "bare-member" -> {
        bench.bareMember();
        return; // stays until SIGTERM
      }
      case "net-server" -> {
        netServer();
        return;
      }
      case "report" -> System.out.print(ClusterReport.markdown(new JsonObject(Files.readString(Path.of(require(bench.args, "json"))))));
      default -> throw new IllegalArgumentException("unknown subcommand " + argv[0]);
    }
    System.exit(0);
  }

  static void log(String format, Object... values) {
    System.err.println("cluster-bench: " + String.format(Locale.ROOT, format, values));
  }

  private static List<String> flags(String text) {
    return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  // ---- the processes ----------------------------------------------------------------------------

  private void bareMember() throws Exception {
    long t0 = System.nanoTime();
    HazelcastClusterManager manager = BenchMember.manager(BenchMember.Settings.from(args));
    Vertx vertx = BenchMember.join(manager).await(2, TimeUnit.MINUTES);
    System.out.printf(Locale.ROOT, "%s as %s in %.0f ms (%.0f ms after JVM start)%n", MEMBER_JOINED, manager.getNodeId(),
        ms(System.nanoTime() - t0), (double) System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // leaving anyway
      }
    }));
  }

  private static void netServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = PingPong.serve(vertx).await(30, TimeUnit.SECONDS).actualPort();
    System.out.println(NET_LISTENING + port);
  }

  // ---- run ----------------------------------------------------------------------------------------

  private BenchMember.Settings settings;
  private Path work;
  private List<String> childFlags;
  private Vertx vertx;
  private ClusterWatch watch;
  private GatewayNodes gateway;
  private final JsonObject out = new JsonObject();

  private Map<String, String> edgeEnv(String id) {
    Map<String, String> env = new HashMap<>();
    env.put("CODEX32_DATA_DIR", work.resolve(id).resolve("data").toString());
    env.put("CODEX32_HTTP_HOST", "127.0.0.1");
    env.put("CODEX32_HTTP_PORT", "0");
    env.put("CODEX32_NODE_ID", id);
    env.put("CODEX32_CLUSTER_ENABLED", "true");
    env.put("CODEX32_CLUSTER_HOST", "127.0.0.1");
    env.put("CODEX32_CLUSTER_PORT", "0");
    env.put("CODEX32_CLUSTER_MEMBERS", settings.seed());
    env.put("CODEX32_CLUSTER_HEARTBEAT_INTERVAL_MS", Long.toString(settings.heartbeatIntervalMs()));
    env.put("CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", Long.toString(settings.failureTimeoutMs()));
    env.put("CODEX32_NODE_HEARTBEAT_INTERVAL_MS", require(args, "node-heartbeat-ms"));
    return env;
  }

  private ChildJvm startEdge(String id, List<String> jvmFlags) throws IOException {
    return ChildJvm.start(id, ChildJvm.java(jvmFlags, "-jar", require(args, "edge-jar")), edgeEnv(id), work.resolve(id));
  }

  private ChildJvm startBare(String name, List<String> jvmFlags) throws IOException {
    List<String> command = new ArrayList<>(ChildJvm.java(jvmFlags, "-cp", require(args, "bench-jar"), ClusterBench.class.getName(),
        "bare-member"));
    command.addAll(List.of("--seed=" + settings.seed(), "--cluster-name=" + settings.clusterName(),
        "--cluster-heartbeat-ms=" + settings.heartbeatIntervalMs(), "--failure-timeout-ms=" + settings.failureTimeoutMs()));
    return ChildJvm.start(name, command, Map.of(), work.resolve(name));
  }

  /** Machine-wide busy cores between two {@link BenchSupport#machineTicks()} readings. */
  private static double busyCores(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? 0 : (double) (after[0] - before[0]) / total * Runtime.getRuntime().availableProcessors();
  }

  private void run() throws Exception {
    settings = BenchMember.Settings.from(args);
    work = Path.of(require(args, "work"));
    childFlags = flags(require(args, "jvm-flags"));
    List<String> hzFlags = flags(args.get("hz-flags"));
    List<String> all = new ArrayList<>(childFlags);
    all.addAll(hzFlags);
    childFlags = all;
    out.put("settings", new JsonObject().put("seed", settings.seed()).put("cluster_heartbeat_ms", settings.heartbeatIntervalMs())
        .put("failure_timeout_ms", settings.failureTimeoutMs()).put("node_heartbeat_ms", Long.parseLong(require(args, "node-heartbeat-ms")))
        .put("offline_after_ms", Long.parseLong(require(args, "offline-after-ms"))).put("jvm_flags", require(args, "jvm-flags")));

    joinBenchMember();
    gateway = new GatewayNodes(Integer.parseInt(require(args, "gateway-port")), require(args, "password"));
    gateway.login();
    ChildJvm primary = null;
    try {
      primary = requestReply();
      joins();
      losses();
      memory(primary);
    } finally {
      if (primary != null) {
        primary.stop();
      }
    }
    Files.writeString(Path.of(require(args, "out")), out.encodePrettily());
    Files.writeString(Path.of(require(args, "md")), ClusterReport.markdown(out));
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** (0) this JVM joins: from the script's launch (wall clock) and from JVM start to the clustered Vert.x being up. */
  private void joinBenchMember() throws Exception {
    long launchedMs = Long.parseLong(require(args, "launched-ms"));
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    long t0 = System.currentTimeMillis();
    BenchMember.logHazelcastTo(work.resolve("bench-member-hazelcast.log"));
    HazelcastClusterManager manager = BenchMember.manager(settings);
    vertx = BenchMember.join(manager).await(2, TimeUnit.MINUTES);
    long joined = System.currentTimeMillis();
    watch = ClusterWatch.start(vertx, manager.getHazelcastInstance()).await(30, TimeUnit.SECONDS);
    int members = manager.getHazelcastInstance().getCluster().getMembers().size();
    log("joined the cluster as a lite member in %d ms (%d members)", joined - launchedMs, members);
    out.put("bench_member", new JsonObject().put("launch_to_joined_ms", joined - launchedMs)
        .put("jvm_start_to_joined_ms", joined - jvmStartMs)
        .put("join_call_ms", joined - t0).put("members_at_join", members));
  }

  // ---- (1) request/reply ------------------------------------------------------------------------

  private ChildJvm requestReply() throws Exception {
    int warmupS = intArg(args, "warmup-s", 5);
    int durationS = intArg(args, "duration-s", 15);
    int rounds = Math.max(1, intArg(args, "rounds", 3));
    long maxRequests = Long.parseLong(args.getOrDefault("max-requests", "1000000"));
    log("starting the edge node %s and the reference server", PRIMARY_EDGE);
    ChildJvm primary = startEdge(PRIMARY_EDGE, childFlags);
    ChildJvm ref = ChildJvm.start("net-server", ChildJvm.java(childFlags, "-cp", require(args, "bench-jar"), ClusterBench.class.getName(),
        "net-server"), Map.of(), work.resolve("net-server"));
    try {
      primary.awaitLine(EDGE_UP, START_TIMEOUT);
      watch.awaitHeartbeat(PRIMARY_EDGE, primary.launchedNs, START_TIMEOUT);
      ref.awaitLine(NET_LISTENING, START_TIMEOUT);
      int refPort = Integer.parseInt(ref.lineContaining(NET_LISTENING).substring(NET_LISTENING.length()).trim());

      Context context = vertx.getOrCreateContext();
      String address = "codex32.node." + PRIMARY_EDGE + ".executor";
      DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(5000);
      Supplier<Future<?>> bus = () -> vertx.eventBus().request(address, PingPong.REQUEST, delivery);
      PingPong.Client client = Future.<PingPong.Client>future(p -> context.runOnContext(v -> PingPong.Client.connect(vertx, refPort)
          .onComplete(p))).await(30, TimeUnit.SECONDS);
      Supplier<Future<?>> net = client::request;
      JsonObject busReply = vertx.eventBus().<JsonObject>request(address, PingPong.REQUEST, delivery).await(10, TimeUnit.SECONDS).body();

      log("request/reply: warm-up %d s per target", warmupS);
      long warmNs = TimeUnit.SECONDS.toNanos(warmupS);
      RoundTrips.Result busWarm = RoundTrips.run(context, bus, warmNs, maxRequests).await(warmupS + 60L, TimeUnit.SECONDS);
      RoundTrips.Result netWarm = RoundTrips.run(context, net, warmNs, maxRequests).await(warmupS + 60L, TimeUnit.SECONDS);
      Histogram busAll = new Histogram(RoundTrips.HIGHEST_NS, 3);
      Histogram netAll = new Histogram(RoundTrips.HIGHEST_NS, 3);
      JsonArray busRounds = new JsonArray();
      JsonArray netRounds = new JsonArray();
      long roundNs = TimeUnit.SECONDS.toNanos(durationS) / rounds;
      long[] ticks0 = BenchSupport.machineTicks();
      for (int r = 1; r <= rounds; r++) {
        log("request/reply: round %d of %d (%.1f s per target)", r, rounds, roundNs / 1e9);
        RoundTrips.Result b = RoundTrips.run(context, bus, roundNs, maxRequests).await(roundNs / 1_000_000_000L + 60, TimeUnit.SECONDS);
        busAll.add(b.histogram());
        busRounds.add(summary(b));
        RoundTrips.Result n = RoundTrips.run(context, net, roundNs, maxRequests).await(roundNs / 1_000_000_000L + 60, TimeUnit.SECONDS);
        netAll.add(n.histogram());
        netRounds.add(summary(n));
      }
      double busy = busyCores(ticks0, BenchSupport.machineTicks());
      out.put("request_reply", new JsonObject()
          .put("request_body", PingPong.REQUEST.encode()).put("reply_body", busReply.encode())
          .put("ref_reply_body", PingPong.REPLY.encode())
          .put("warmup_s", warmupS).put("duration_s", durationS).put("rounds", rounds)
          .put("warmup_requests", new JsonObject().put("bus", busWarm.requests()).put("net", netWarm.requests()))
          .put("bus", totals(busAll, busRounds)).put("net", totals(netAll, netRounds))
          .put("machine_busy_cores", busy));
    } finally {
      ref.stop();
    }
    return primary;
  }

  private static JsonObject latency(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("mean_us", h.getMean() / 1000)
        .put("p50_us", h.getValueAtPercentile(50) / 1000.0).put("p90_us", h.getValueAtPercentile(90) / 1000.0)
        .put("p99_us", h.getValueAtPercentile(99) / 1000.0).put("p999_us", h.getValueAtPercentile(99.9) / 1000.0)
        .put("max_us", h.getMaxValue() / 1000.0);
  }

  private static JsonObject summary(RoundTrips.Result r) {
    return latency(r.histogram()).put("requests", r.requests()).put("errors", r.errors()).put("seconds", r.elapsedNs() / 1e9)
        .put("first_error", r.firstError());
  }

  private static JsonObject totals(Histogram all, JsonArray rounds) {
    long requests = 0;
    long errors = 0;
    double seconds = 0;
    for (int i = 0; i < rounds.size(); i++) {
      requests += rounds.getJsonObject(i).getLong("requests");
      errors += rounds.getJsonObject(i).getLong("errors");
      seconds += rounds.getJsonObject(i).getDouble("seconds");
    }
    return latency(all).put("requests", requests).put("errors", errors).put("per_s", seconds > 0 ? requests / seconds : 0)
        .put("rounds", rounds);
  }

  // ---- (2) join times ---------------------------------------------------------------------------

  private void joins() throws Exception {
    int runs = intArg(args, "join-runs", 5);
    JsonArray edges = new JsonArray();
    JsonArray bares = new JsonArray();
    long[] ticks0 = BenchSupport.machineTicks();
    for (int i = 1; i <= runs; i++) {
      log("join %d of %d: edge node", i, runs);
      edges.add(joinEdge("bench-join-" + i));
      log("join %d of %d: bare member", i, runs);
      bares.add(joinBare("bench-bare-" + i));
    }
    out.put("join", new JsonObject().put("edge", edges).put("bare", bares)
        .put("machine_busy_cores", busyCores(ticks0, BenchSupport.machineTicks())));
  }

  private JsonObject joinEdge(String id) throws Exception {
    ChildJvm edge = startEdge(id, childFlags);
    try {
      CompletableFuture<Long> online = gateway.awaitInBackground(id, true, START_TIMEOUT);
      ClusterWatch.MemberEvent added = watch.awaitAdded(edge.launchedNs, START_TIMEOUT);
      long up = edge.awaitLine(EDGE_UP, START_TIMEOUT);
      long announced = watch.awaitHeartbeat(id, edge.launchedNs, START_TIMEOUT);
      long listed = online.get(START_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
      JsonObject sample = new JsonObject().put("id", id).put("member", added.address())
          .put("member_added_ms", ms(added.nanos() - edge.launchedNs)).put("up_line_ms", ms(up - edge.launchedNs))
          .put("first_heartbeat_ms", ms(announced - edge.launchedNs)).put("gateway_online_ms", ms(listed - edge.launchedNs));
      leave(edge, added);
      return sample;
    } finally {
      edge.stop();
    }
  }

  private JsonObject joinBare(String name) throws Exception {
    ChildJvm bare = startBare(name, childFlags);
    try {
      ClusterWatch.MemberEvent added = watch.awaitAdded(bare.launchedNs, START_TIMEOUT);
      long joined = bare.awaitLine(MEMBER_JOINED, START_TIMEOUT);
      JsonObject sample = new JsonObject().put("id", name).put("member", added.address())
          .put("member_added_ms", ms(added.nanos() - bare.launchedNs)).put("joined_line_ms", ms(joined - bare.launchedNs))
          .put("line", bare.lineContaining(MEMBER_JOINED));
      leave(bare, added);
      return sample;
    } finally {
      bare.stop();
    }
  }

  /** SIGTERM and wait until the cluster has dropped the member, so the next run starts from the same cluster. */
  private void leave(ChildJvm child, ClusterWatch.MemberEvent added) throws InterruptedException {
    child.stop();
    watch.awaitRemoved(added.uuid(), LOSS_TIMEOUT);
  }

  // ---- (3) node loss ----------------------------------------------------------------------------

  /**
   * kill -9 (the kernel closes the node's sockets, so its peers see the connections fail at once)
   * and SIGSTOP (the process freezes with its sockets open, as a node that loses power or network
   * looks to its peers: only the missing heartbeats tell).
   */
  private void losses() throws Exception {
    JsonArray samples = new JsonArray();
    long[] ticks0 = BenchSupport.machineTicks();
    int killRuns = intArg(args, "loss-runs", 3);
    int freezeRuns = intArg(args, "freeze-runs", 3);
    for (int i = 1; i <= killRuns + freezeRuns; i++) {
      boolean freeze = i > killRuns;
      String id = (freeze ? "bench-freeze-" + (i - killRuns) : "bench-loss-" + i);
      log("node loss %d of %d: %s (%s)", i, killRuns + freezeRuns, id, freeze ? "SIGSTOP" : "SIGKILL");
      samples.add(lose(id, freeze));
    }
    out.put("loss", new JsonObject().put("runs", samples).put("machine_busy_cores", busyCores(ticks0, BenchSupport.machineTicks())));
  }

  private JsonObject lose(String id, boolean freeze) throws Exception {
    ChildJvm edge = startEdge(id, childFlags);
    try {
      ClusterWatch.MemberEvent added = watch.awaitAdded(edge.launchedNs, START_TIMEOUT);
      edge.awaitLine(EDGE_UP, START_TIMEOUT);
      long first = watch.awaitHeartbeat(id, edge.launchedNs, START_TIMEOUT);
      gateway.await(id, true, START_TIMEOUT);
      // settled, and hit at a random point of its heartbeat period
      Thread.sleep(2000 + ThreadLocalRandom.current().nextLong(Long.parseLong(require(args, "node-heartbeat-ms"))));
      long hit = System.nanoTime();
      if (freeze) {
        signal(edge.pid(), "STOP");
      } else {
        edge.kill();
      }
      long lastBeat = watch.lastHeartbeat(id, hit);
      long offline = gateway.await(id, false, LOSS_TIMEOUT);
      ClusterWatch.MemberEvent removed = watch.awaitRemoved(added.uuid(), LOSS_TIMEOUT);
      return new JsonObject().put("id", id).put("signal", freeze ? "SIGSTOP" : "SIGKILL").put("member", added.address())
          .put("heartbeats_before", watch.heartbeatsSince(id, first) - watch.heartbeatsSince(id, hit))
          .put("heartbeats_after", watch.heartbeatsSince(id, hit))
          .put("last_heartbeat_before_ms", ms(hit - lastBeat))
          .put("member_removed_ms", ms(removed.nanos() - hit)).put("gateway_offline_ms", ms(offline - hit))
          .put("gateway_offline_after_last_heartbeat_ms", ms(offline - lastBeat));
    } finally {
      edge.kill(); // SIGKILL ends a stopped process too
    }
  }

  private static void signal(long pid, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  // ---- (4) memory -------------------------------------------------------------------------------

  private void memory(ChildJvm primary) throws Exception {
    int settleS = intArg(args, "settle-s", 30);
    int samples = intArg(args, "samples", 10);
    List<List<String>> flagSets = new ArrayList<>();
    flagSets.add(childFlags);
    List<String> small = flags(args.get("small-jvm-flags"));
    if (!small.isEmpty()) {
      List<String> smallAll = new ArrayList<>(small);
      smallAll.addAll(flags(args.get("hz-flags")));
      flagSets.add(smallAll);
    }
    JsonArray sets = new JsonArray();
    long gatewayPid = Long.parseLong(require(args, "gateway-pid"));
    for (int k = 0; k < flagSets.size(); k++) {
      List<String> jvmFlags = flagSets.get(k);
      log("memory %d of %d: edge node and bare member with %s; settling %d s", k + 1, flagSets.size(), String.join(" ", jvmFlags),
          settleS);
      ChildJvm edge = startEdge("bench-mem-edge-" + (k + 1), jvmFlags);
      ChildJvm bare = startBare("bench-mem-bare-" + (k + 1), jvmFlags);
      try {
        edge.awaitLine(EDGE_UP, START_TIMEOUT);
        bare.awaitLine(MEMBER_JOINED, START_TIMEOUT);
        Thread.sleep(TimeUnit.SECONDS.toMillis(settleS));
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("edge", edge.pid());
        pids.put("bare", bare.pid());
        if (k == 0) {
          pids.put("gateway", gatewayPid);
          pids.put("primary_edge", primary.pid());
          pids.put("bench_member", ProcessHandle.current().pid());
        }
        Map<String, List<Long>> rss = new LinkedHashMap<>();
        pids.keySet().forEach(name -> rss.put(name, new ArrayList<>()));
        for (int s = 0; s < samples; s++) {
          if (s > 0) {
            Thread.sleep(1000);
          }
          pids.forEach((name, pid) -> rss.get(name).add(BenchSupport.statusKb(pid, "VmRSS")));
        }
        JsonObject set = new JsonObject().put("jvm_flags", String.join(" ", jvmFlags)).put("settle_s", settleS).put("samples", samples);
        pids.forEach((name, pid) -> set.put(name, rssSummary(rss.get(name), BenchSupport.statusKb(pid, "VmHWM"))));
        set.put("edge_blocked_warnings", edge.count("has been blocked for"));
        sets.add(set);
      } finally {
        edge.stop();
        bare.stop();
      }
    }
    out.put("memory", sets);
  }

  private static JsonObject rssSummary(List<Long> kb, long hwmKb) {
    List<Long> sorted = kb.stream().sorted().toList();
    return new JsonObject().put("median_kb", sorted.get(sorted.size() / 2)).put("min_kb", sorted.get(0))
        .put("max_kb", sorted.get(sorted.size() - 1)).put("hwm_kb", hwmKb);
  }
}
