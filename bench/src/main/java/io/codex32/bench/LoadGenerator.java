package io.codex32.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load generator for the gateway and the reference server, both on 127.0.0.1.
 *
 * <p>Each scenario opens a fresh {@link WebClient} with exactly {@code connections} keep-alive
 * HTTP/1.1 connections (no pipelining) and keeps {@code connections} requests in flight: every
 * connection sends its next request as soon as the previous response has been read. A warm-up
 * of {@code warmup-s} seconds is followed by a measured phase of {@code duration-s} seconds; only
 * requests sent and answered within the measured phase enter the latency histogram and the
 * throughput. Every response that is not 2xx, or a failed/timed-out request, in any phase counts
 * as an error. Each scenario stops by itself at the end of its phases or after
 * {@code max-requests} requests, whichever comes first.
 *
 * <p>Latency is measured from just before the request is handed to the client to the moment the
 * whole response body has been received. As in any closed-loop generator, a slow response delays
 * the next request of its connection (no coordinated-omission correction).
 *
 * <p>Arguments ({@code --name=value}): {@code gateway-port}, {@code ref-port}, {@code password}
 * (the admin password), {@code gateway-pid}, {@code ref-pid} (for CPU accounting, optional),
 * {@code connections} (comma-separated, default 16,64), {@code warmup-s} (5), {@code duration-s}
 * (10), {@code max-requests} (per scenario, 1000000), {@code seed-bots} (100), {@code out} (file to
 * write the Markdown table to, optional).
 *
 * <p>With {@code compare-port} (and {@code compare-pid}, {@code compare-name}) the second server is
 * another gateway instead of the reference, e.g. the same jar on {@code store=postgres}: it gets the
 * same admin password, seed bots and requests. {@code gateway-name} names the first one in the table.
 */
public final class LoadGenerator {

  enum Op { GET, POST }

  record Target(String name, int port, String getPrefix, String postPath, String bearer) {
  }

  record Result(Op op, Target target, int connections, long measured, long total, long errors,
                double seconds, Histogram histogram, boolean capped, double serverCores, double genCores,
                double otherCores, List<String> errorSamples) {
  }

  private final Vertx vertx;
  private final Map<String, String> args;
  private final AtomicLong botSeq = new AtomicLong();
  private final int seedBots;

  private LoadGenerator(Vertx vertx, Map<String, String> args) {
    this.vertx = vertx;
    this.args = args;
    this.seedBots = Integer.parseInt(args.getOrDefault("seed-bots", "100"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchSupport.parseArgs(argv, 0);
    Vertx vertx = Vertx.vertx();
    int exit;
    try {
      exit = new LoadGenerator(vertx, args).run();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(exit);
  }

  private int run() throws Exception {
    int gatewayPort = Integer.parseInt(require("gateway-port"));
    boolean compare = args.containsKey("compare-port");
    int refPort = Integer.parseInt(compare ? args.get("compare-port") : require("ref-port"));
    String password = require("password");
    int warmupS = Integer.parseInt(args.getOrDefault("warmup-s", "5"));
    int durationS = Integer.parseInt(args.getOrDefault("duration-s", "10"));
    long maxRequests = Long.parseLong(args.getOrDefault("max-requests", "1000000"));
    List<Integer> connectionCounts = new ArrayList<>();
    for (String c : args.getOrDefault("connections", "16,64").split(",")) {
      connectionCounts.add(Integer.parseInt(c.trim()));
    }
    long gatewayPid = Long.parseLong(args.getOrDefault("gateway-pid", "0"));
    long refPid = Long.parseLong(args.getOrDefault(compare ? "compare-pid" : "ref-pid", "0"));

    String token = setUp(gatewayPort, password);
    Target gateway = new Target(args.getOrDefault("gateway-name", "gateway"), gatewayPort, "/api/v1/bots/", "/api/v1/bots",
        "Bearer " + token);
    Target ref = compare
        ? new Target(args.getOrDefault("compare-name", "compare"), refPort, "/api/v1/bots/", "/api/v1/bots",
            "Bearer " + setUp(refPort, password))
        : new Target("reference", refPort, "/ref/bots/", "/ref/bots", null);

    List<Result> results = new ArrayList<>();
    for (Op op : Op.values()) {
      for (int connections : connectionCounts) {
        for (Target target : List.of(gateway, ref)) {
          long pid = target == gateway ? gatewayPid : refPid;
          long peerPid = target == gateway ? refPid : gatewayPid;
          Result result = scenario(op, target, connections, warmupS, durationS, maxRequests, pid, peerPid);
          results.add(result);
          System.err.printf(Locale.ROOT, "bench: %-4s %-9s c=%-3d %9.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d%n",
              op, target.name(), connections, result.measured() / result.seconds(),
              ms(result.histogram().getValueAtPercentile(50)), ms(result.histogram().getValueAtPercentile(99)),
              result.errors());
          for (String sample : result.errorSamples()) {
            System.err.println("bench:   error sample: " + sample);
          }
        }
      }
    }

    String table = table(results, warmupS, durationS);
    System.out.print(table);
    String out = args.get("out");
    if (out != null) {
      Files.writeString(Path.of(out), table);
    }
    long errors = results.stream().mapToLong(Result::errors).sum();
    return errors == 0 ? 0 : 1;
  }

  /** Logs in as admin and creates the bots the GET scenarios read; returns the access token. */
  private String setUp(int port, String password) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(ClosedLoop.HOST).setDefaultPort(port));
    try {
      HttpResponse<Buffer> login = await(client.post("/api/v1/auth/login")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(new JsonObject().put("username", "admin").put("password", password).toBuffer()));
      if (login.statusCode() != 200) {
        throw new IllegalStateException("login failed: " + login.statusCode() + " " + login.bodyAsString());
      }
      String token = login.bodyAsJsonObject().getString("access_token");
      for (int i = 0; i < seedBots; i++) {
        HttpResponse<Buffer> created = await(client.post("/api/v1/bots")
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(botSpec(getId(i))));
        if (created.statusCode() != 201) {
          throw new IllegalStateException("creating bot " + getId(i) + " failed: " + created.statusCode() + " " + created.bodyAsString());
        }
        if (i == 0) {
          System.err.println("bench: gateway GET document is " + await(client.get("/api/v1/bots/" + getId(0))
              .putHeader("Authorization", "Bearer " + token).send()).body().length() + " bytes, reference "
              + RefServer.DOCUMENT.length() + " bytes");
        }
      }
      System.err.println("bench: logged in and created " + seedBots + " bots");
      return token;
    } finally {
      client.close();
    }
  }

  private Result scenario(Op op, Target target, int connections, int warmupS, int durationS, long maxRequests, long pid,
                          long peerPid) throws Exception {
    ClosedLoop.Outcome run = ClosedLoop.run(vertx, target.port(), connections, warmupS, durationS, maxRequests,
        (client, n) -> send(op, target, client, n), status -> status / 100 == 2, () -> cpuSnapshot(pid, peerPid));
    long[] before = run.cpuBefore();
    long[] after = run.cpuAfter();
    double ticks = 100.0 * durationS; // CLK_TCK is 100 on Linux
    double server = (after[0] - before[0]) / ticks;
    double peer = (after[1] - before[1]) / ticks;
    double gen = (after[2] - before[2]) / ticks;
    double machine = (after[3] - before[3]) / ticks;
    return new Result(op, target, connections, run.measured(), run.total(), run.errors(), durationS, run.histogram(),
        run.capped(), pid > 0 ? server : Double.NaN, gen, Math.max(0, machine - server - peer - gen), run.errorSamples());
  }

  private Future<HttpResponse<Buffer>> send(Op op, Target target, WebClient client, int n) {
    if (op == Op.GET) {
      var request = client.get(target.getPrefix() + getId(Math.floorMod(n, seedBots))).timeout(ClosedLoop.REQUEST_TIMEOUT_MS);
      if (target.bearer() != null) {
        request.putHeader("Authorization", target.bearer());
      }
      return request.send();
    }
    var request = client.post(target.postPath()).timeout(ClosedLoop.REQUEST_TIMEOUT_MS).putHeader("Content-Type", "application/json");
    if (target.bearer() != null) {
      request.putHeader("Authorization", target.bearer());
    }
    return request.sendBuffer(botSpec("bench-" + botSeq.incrementAndGet()));
  }

  static String getId(int i) {
    return String.format(Locale.ROOT, "get-%03d", i);
  }

  static Buffer botSpec(String id) {
    return new JsonObject()
        .put("id", id)
        .put("name", "Bench bot " + id)
        .put("role", "collector")
        .put("command", new JsonArray().add("python3").add("weather.py").add("--interval").add("5"))
        .put("env", new JsonObject().put("UNITS", "metric"))
        .put("placement", new JsonObject().put("node", "local"))
        .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 5).put("window_s", 300))
        .toBuffer();
  }

  private String table(List<Result> results, int warmupS, int durationS) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Closed loop, keep-alive HTTP/1.1, %d s warm-up + %d s measured per row; "
        + "latency in ms; CPU in cores (of %d) averaged over the measured phase (other = the rest of the machine).%n%n",
        warmupS, durationS, Runtime.getRuntime().availableProcessors()));
    sb.append("| scenario | server | conns | req/s | p50 | p90 | p99 | max | measured reqs | errors "
        + "| server CPU | loadgen CPU | other CPU |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      Histogram h = r.histogram();
      String scenario = r.op() == Op.GET ? "GET bot" : "POST create bot";
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f%s | %.2f | %.2f | %.2f | %.1f | %d | %d | %.2f | %.2f | %.2f |%n",
          scenario, r.target().name(), r.connections(), r.measured() / r.seconds(), r.capped() ? " (capped)" : "",
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
          ms(h.getMaxValue()), r.measured(), r.errors(), r.serverCores(), r.genCores(), r.otherCores()));
    }
    return sb.toString();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** CPU ticks used so far by: the server, its peer (the other server, idle meanwhile), this process, the machine. */
  private static long[] cpuSnapshot(long pid, long peerPid) {
    return new long[] {
        pid > 0 ? cpuTicks(Long.toString(pid)) : 0,
        peerPid > 0 ? cpuTicks(Long.toString(peerPid)) : 0,
        cpuTicks("self"),
        machineBusyTicks()};
  }

  /** Busy ticks of all CPUs (user, nice, system, irq, softirq, steal) from /proc/stat (0 if unreadable). */
  private static long machineBusyTicks() {
    try {
      return BenchSupport.machineTicks()[0];
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime of a process in clock ticks, from /proc/<pid>/stat (0 if unreadable). */
  private static long cpuTicks(String pid) {
    try {
      return BenchSupport.processTicks(Path.of("/proc", pid, "stat"));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private String require(String name) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return value;
  }
}
