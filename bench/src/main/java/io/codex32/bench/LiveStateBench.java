package io.codex32.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Reads of bot live state through the API of two gateways measured in one run: one keeping live
 * state in memory (the default), one in Redis ({@code CODEX32_REDIS_URL}). Both run the same
 * sleeper bots, so every bot has a pid, a CPU/memory sample and a metrics history.
 *
 * <p>Scenarios, each a closed loop like {@link LoadGenerator}'s ({@code connections} keep-alive
 * HTTP/1.1 connections, one request in flight each, warm-up then measured phase), cycling over
 * the bots: {@code GET /api/v1/bots/{id}} (store read plus the bot's live fields) and
 * {@code GET /api/v1/bots/{id}/metrics?limit=60} (store read plus 60 samples of the history).
 * Memory and Redis alternate for each scenario and connection count.
 *
 * <p>Arguments ({@code --name=value}): {@code memory-port}, {@code redis-port}, {@code password},
 * {@code memory-pid}, {@code redis-pid} (the gateways), {@code redis-server-pid}, {@code bots}
 * (20), {@code connections} (16,64), {@code warmup-s} (5), {@code duration-s} (10),
 * {@code out} (file for the Markdown table).
 */
public final class LiveStateBench {

  private static final long READY_TIMEOUT_MS = 120_000;

  record Target(String name, int port, long pid, String token) {
  }

  record Scenario(String name, String pathFormat) {
  }

  record Result(Scenario scenario, Target target, int connections, long measured, long errors, double seconds,
                Histogram histogram, double gatewayCores, double redisCores, double genCores, List<String> errorSamples) {
  }

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario("GET bot", "/api/v1/bots/%s"),
      new Scenario("GET bot metrics (60 samples)", "/api/v1/bots/%s/metrics?limit=60"));

  private final Vertx vertx;
  private final Map<String, String> args;
  private final int bots;
  private final long redisServerPid;

  private LiveStateBench(Vertx vertx, Map<String, String> args) {
    this.vertx = vertx;
    this.args = args;
    this.bots = BenchSupport.intArg(args, "bots", 20);
    this.redisServerPid = Long.parseLong(args.getOrDefault("redis-server-pid", "0"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchSupport.parseArgs(argv, 0);
    Vertx vertx = Vertx.vertx();
    int exit;
    try {
      exit = new LiveStateBench(vertx, args).run();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(exit);
  }

  private int run() throws Exception {
    String password = BenchSupport.require(args, "password");
    int warmupS = BenchSupport.intArg(args, "warmup-s", 5);
    int durationS = BenchSupport.intArg(args, "duration-s", 10);
    List<Integer> connectionCounts = new ArrayList<>();
    for (String c : args.getOrDefault("connections", "16,64").split(",")) {
      connectionCounts.add(Integer.parseInt(c.trim()));
    }
    Target memory = setUp("memory", Integer.parseInt(BenchSupport.require(args, "memory-port")),
        Long.parseLong(args.getOrDefault("memory-pid", "0")), password);
    Target redis = setUp("redis", Integer.parseInt(BenchSupport.require(args, "redis-port")),
        Long.parseLong(args.getOrDefault("redis-pid", "0")), password);
    try {
      List<Result> results = new ArrayList<>();
      for (Scenario scenario : SCENARIOS) {
        for (int connections : connectionCounts) {
          for (Target target : List.of(memory, redis)) {
            Result r = measure(scenario, target, connections, warmupS, durationS);
            results.add(r);
            System.err.printf(Locale.ROOT, "live-bench: %-28s %-6s c=%-3d %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d%n",
                scenario.name(), target.name(), connections, r.measured() / r.seconds(),
                ms(r.histogram().getValueAtPercentile(50)), ms(r.histogram().getValueAtPercentile(99)), r.errors());
            r.errorSamples().forEach(sample -> System.err.println("live-bench:   error sample: " + sample));
          }
        }
      }
      String table = table(results, warmupS, durationS);
      System.out.print(table);
      String out = args.get("out");
      if (out != null) {
        Files.writeString(Path.of(out), table);
      }
      return results.stream().mapToLong(Result::errors).sum() == 0 ? 0 : 1;
    } finally {
      stopBots(memory);
      stopBots(redis);
    }
  }

  /** Logs in, starts the sleeper bots and waits until each shows a sample and has a history. */
  private Target setUp(String name, int port, long pid, String password) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(ClosedLoop.HOST).setDefaultPort(port));
    try {
      HttpResponse<Buffer> login = await(client.post("/api/v1/auth/login").putHeader("Content-Type", "application/json")
          .sendBuffer(new JsonObject().put("username", "admin").put("password", password).toBuffer()));
      if (login.statusCode() != 200) {
        throw new IllegalStateException(name + ": login failed: " + login.statusCode() + " " + login.bodyAsString());
      }
      Target target = new Target(name, port, pid, "Bearer " + login.bodyAsJsonObject().getString("access_token"));
      for (int i = 0; i < bots; i++) {
        JsonObject spec = new JsonObject().put("id", botId(i)).put("name", "Live bench " + i).put("role", "sleeper")
            .put("command", new JsonArray().add("sleep").add("100000"));
        expect(await(client.post("/api/v1/bots").putHeader("Authorization", target.token())
            .putHeader("Content-Type", "application/json").sendBuffer(spec.toBuffer())), 201, name + " create " + botId(i));
        expect(await(client.post("/api/v1/bots/" + botId(i) + "/start").putHeader("Authorization", target.token()).send()), 202,
            name + " start " + botId(i));
      }
      long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
      for (int i = 0; i < bots; i++) {
        while (!sampled(client, target, botId(i))) {
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(name + ": bot " + botId(i) + " has no sample after " + READY_TIMEOUT_MS + " ms");
          }
          Thread.sleep(200);
        }
      }
      System.err.println("live-bench: " + name + ": " + bots + " bots running with samples; GET bot answer is "
          + await(client.get("/api/v1/bots/" + botId(0)).putHeader("Authorization", target.token()).send()).body().length()
          + " bytes");
      return target;
    } finally {
      client.close();
    }
  }

  private boolean sampled(WebClient client, Target target, String id) throws Exception {
    JsonObject bot = await(client.get("/api/v1/bots/" + id).putHeader("Authorization", target.token()).send()).bodyAsJsonObject();
    JsonArray history = await(client.get("/api/v1/bots/" + id + "/metrics?limit=60").putHeader("Authorization", target.token())
        .send()).bodyAsJsonObject().getJsonArray("items");
    return "running".equals(bot.getString("status")) && bot.getValue("cpu_load") != null && !history.isEmpty();
  }

  private void stopBots(Target target) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(ClosedLoop.HOST).setDefaultPort(target.port()));
    try {
      for (int i = 0; i < bots; i++) {
        await(client.post("/api/v1/bots/" + botId(i) + "/stop").putHeader("Authorization", target.token()).send());
      }
    } catch (Exception e) {
      System.err.println("live-bench: " + target.name() + ": stopping the bots failed: " + e);
    } finally {
      client.close();
    }
  }

  private Result measure(Scenario scenario, Target target, int connections, int warmupS, int durationS) throws Exception {
    ClosedLoop.Outcome run = ClosedLoop.run(vertx, target.port(), connections, warmupS, durationS, Long.MAX_VALUE,
        (client, n) -> client.get(String.format(Locale.ROOT, scenario.pathFormat(), botId(Math.floorMod(n, bots))))
            .timeout(ClosedLoop.REQUEST_TIMEOUT_MS).putHeader("Authorization", target.token()).send(),
        status -> status == 200, () -> cpu(target.pid()));
    long[] before = run.cpuBefore();
    long[] after = run.cpuAfter();
    double ticks = 100.0 * durationS; // CLK_TCK is 100 on Linux
    return new Result(scenario, target, connections, run.measured(), run.errors(), durationS, run.histogram(),
        (after[0] - before[0]) / ticks, (after[1] - before[1]) / ticks, (after[2] - before[2]) / ticks, run.errorSamples());
  }

  /** CPU ticks of the gateway, the Redis server and this process. */
  private long[] cpu(long gatewayPid) {
    return new long[] {ticks(gatewayPid > 0 ? Long.toString(gatewayPid) : null),
        ticks(redisServerPid > 0 ? Long.toString(redisServerPid) : null), ticks("self")};
  }

  private static long ticks(String pid) {
    try {
      return pid == null ? 0 : BenchSupport.processTicks(Path.of("/proc", pid, "stat"));
    } catch (Exception e) {
      return 0;
    }
  }

  private static String table(List<Result> results, int warmupS, int durationS) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Closed loop, keep-alive HTTP/1.1, %d s warm-up + %d s measured per row; latency in ms; "
        + "CPU in cores (of %d) averaged over the measured phase.%n%n", warmupS, durationS, Runtime.getRuntime().availableProcessors()));
    sb.append("| scenario | live state | conns | req/s | p50 | p90 | p99 | max | measured reqs | errors | gateway CPU | redis-server CPU "
        + "| loadgen CPU |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      Histogram h = r.histogram();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %d | %.2f | %.2f | %.2f |%n",
          r.scenario().name(), r.target().name(), r.connections(), r.measured() / r.seconds(), ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), r.measured(), r.errors(),
          r.gatewayCores(), r.redisCores(), r.genCores()));
    }
    return sb.toString();
  }

  private static String botId(int i) {
    return String.format(Locale.ROOT, "live-%03d", i);
  }

  private static void expect(HttpResponse<Buffer> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
