package io.codex32.bench;

import static io.codex32.bench.BenchSupport.intArg;
import static io.codex32.bench.BenchSupport.require;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executor benchmark tool (see docs/benchmarks.md, "Executor"); driven by bench/executor.sh.
 *
 * <p>Subcommands, arguments as {@code --name=value}:
 * <ul>
 *   <li>{@code gateway}: against a running gateway on 127.0.0.1 ({@code port}, {@code password},
 *   {@code pid}): creates {@code bots} sleeper bots, measures the gateway JVM's CPU idle (0 running
 *   bots) for {@code cpu-s} seconds, starts all bots ({@code concurrency} requests in flight) and
 *   times until the API lists them all as running, measures the CPU again with them running, stops
 *   them, then runs one crash-looping bot whose every start appends a timestamp to {@code ts} until
 *   it holds {@code restarts}+1 lines (or {@code restart-timeout-s} passed), and stops it. Writes
 *   the measurements as JSON to {@code out}.</li>
 *   <li>{@code pbloop}: the bare reference: {@code n} times {@code new ProcessBuilder(argv).start().waitFor()}
 *   back to back, argv = the remaining arguments after {@code --}; writes JSON to {@code out}.</li>
 *   <li>{@code report}: prints the Markdown tables from {@code gateway-json}, {@code pbloop-json} and
 *   the timestamp files {@code ts-gateway}, {@code ts-pbloop}, {@code ts-supervisord}.</li>
 * </ul>
 */
public final class ExecutorBench {

  private static final long POLL_MS = 50;

  private final Map<String, String> args;

  private ExecutorBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      throw new IllegalArgumentException("usage: ExecutorBench gateway|pbloop|report --name=value ... [-- argv]");
    }
    Map<String, String> args = BenchSupport.parseArgs(argv, 1);
    List<String> rest = new ArrayList<>();
    int dashes = Arrays.asList(argv).indexOf("--");
    if (dashes >= 1) {
      rest.addAll(Arrays.asList(argv).subList(dashes + 1, argv.length));
    }
    ExecutorBench bench = new ExecutorBench(args);
    switch (argv[0]) {
      case "gateway" -> bench.gateway();
      case "pbloop" -> bench.pbloop(rest);
      case "report" -> bench.report();
      default -> throw new IllegalArgumentException("unknown subcommand " + argv[0]);
    }
    System.exit(0);
  }

  private static void log(String format, Object... values) {
    System.err.println("executor-bench: " + String.format(Locale.ROOT, format, values));
  }

  // ---- gateway --------------------------------------------------------------------------------

  private GatewayRest rest;

  private JsonObject expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": expected " + status + ", got " + response.statusCode() + " " + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  private int countWithStatus(String status) throws IOException, InterruptedException {
    return expect(rest.call("GET", "/api/v1/bots?status=" + status + "&limit=500", null), 200, "list " + status).getInteger("total");
  }

  private void gateway() throws Exception {
    rest = new GatewayRest(Integer.parseInt(require(args, "port")));
    long pid = Long.parseLong(require(args, "pid"));
    int bots = intArg(args, "bots", 100);
    int concurrency = intArg(args, "concurrency", 8);
    int cpuSeconds = intArg(args, "cpu-s", 30);
    int settleSeconds = intArg(args, "settle-s", 5);
    int restarts = intArg(args, "restarts", 100);
    int restartTimeoutS = intArg(args, "restart-timeout-s", 60);
    long clockTicks = Long.parseLong(args.getOrDefault("clk-tck", "100"));
    Path ts = Path.of(require(args, "ts"));
    JsonObject out = new JsonObject().put("bots", bots).put("concurrency", concurrency).put("cpu_s", cpuSeconds)
        .put("settle_s", settleSeconds);

    rest.login(require(args, "password"));
    for (int i = 0; i < bots; i++) {
      expect(rest.call("POST", "/api/v1/bots", new JsonObject().put("id", sleeper(i))
          .put("command", new JsonArray().add("sleep").add("100000"))), 201, "create " + sleeper(i));
    }
    log("created %d sleeper bots; settling %d s, then measuring the idle gateway for %d s", bots, settleSeconds, cpuSeconds);

    Thread.sleep(settleSeconds * 1000L);
    out.put("cpu_idle", cpu(pid, cpuSeconds, clockTicks));
    out.put("running_during_idle", countWithStatus("running"));

    // ---- start 100 ----
    log("starting %d bots, %d requests in flight", bots, concurrency);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long[] latencies = new long[bots];
    AtomicLong lastReply = new AtomicLong();
    List<Future<?>> replies = new ArrayList<>();
    Snapshot startBefore = snapshot(pid);
    long t0 = System.nanoTime();
    for (int i = 0; i < bots; i++) {
      int n = i;
      replies.add(pool.submit(() -> {
        long sent = System.nanoTime();
        expect(rest.call("POST", "/api/v1/bots/" + sleeper(n) + "/start", null), 202, "start " + sleeper(n));
        long done = System.nanoTime();
        latencies[n] = done - sent;
        lastReply.accumulateAndGet(done, Math::max);
        return null;
      }));
    }
    long allRunning = -1;
    int polls = 0;
    int lastCount = -1;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      lastCount = countWithStatus("running");
      polls++;
      if (lastCount == bots) {
        allRunning = System.nanoTime();
        break;
      }
      Thread.sleep(POLL_MS);
    }
    Snapshot startAfter = snapshot(pid);
    for (Future<?> reply : replies) {
      reply.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    out.put("cpu_start", between(startBefore, startAfter, clockTicks));
    if (allRunning < 0) {
      throw new IllegalStateException("only " + lastCount + " of " + bots + " bots running after 60 s");
    }
    Arrays.sort(latencies);
    out.put("start_all_running_ms", ms(allRunning - t0))
        .put("start_last_reply_ms", ms(lastReply.get() - t0))
        .put("start_polls", polls)
        .put("start_latency_p50_ms", ms(percentile(latencies, 50)))
        .put("start_latency_p99_ms", ms(percentile(latencies, 99)))
        .put("start_latency_max_ms", ms(latencies[latencies.length - 1]));
    log("all %d running after %.0f ms (last 202 after %.0f ms); start p50 %.1f ms, p99 %.1f ms", bots,
        ms(allRunning - t0), ms(lastReply.get() - t0), ms(percentile(latencies, 50)), ms(percentile(latencies, 99)));

    log("settling %d s, then measuring the gateway with %d running bots for %d s", settleSeconds, bots, cpuSeconds);
    Thread.sleep(settleSeconds * 1000L);
    out.put("cpu_busy", cpu(pid, cpuSeconds, clockTicks));
    out.put("running_after_busy", countWithStatus("running"));
    out.put("procs_on_machine", processCount());

    // ---- stop them (also times it) ----
    ExecutorService stopPool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> stops = new ArrayList<>();
    long s0 = System.nanoTime();
    for (int i = 0; i < bots; i++) {
      int n = i;
      stops.add(stopPool.submit(() -> expect(rest.call("POST", "/api/v1/bots/" + sleeper(n) + "/stop", null), 202, "stop " + sleeper(n))));
    }
    for (Future<?> stop : stops) {
      stop.get(60, TimeUnit.SECONDS);
    }
    stopPool.shutdown();
    long allStopped = -1;
    deadline = s0 + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (countWithStatus("stopped") == bots) {
        allStopped = System.nanoTime();
        break;
      }
      Thread.sleep(POLL_MS);
    }
    out.put("stop_all_stopped_ms", allStopped < 0 ? null : ms(allStopped - s0));
    log("stopped the %d bots: all stopped after %s ms", bots, allStopped < 0 ? "(not within 60 s)" : String.format(Locale.ROOT, "%.0f", ms(allStopped - s0)));

    // ---- restart latency ----
    JsonObject restart = new JsonObject().put("policy", "always").put("max_restarts", 1000).put("window_s", 1)
        .put("backoff_initial_ms", 10).put("backoff_max_ms", 10).put("backoff_multiplier", 1);
    JsonArray command = new JsonArray().add("sh").add("-c").add(args.getOrDefault("bot-script", "date +%s%N >> " + ts + "; exit 1"));
    expect(rest.call("POST", "/api/v1/bots", new JsonObject().put("id", "crasher").put("command", command).put("restart", restart)),
        201, "create crasher");
    out.put("crasher_command", command).put("crasher_restart", restart);
    log("crash loop: waiting for %d restarts (at most %d s)", restarts, restartTimeoutS);
    Snapshot crashBefore = snapshot(pid);
    long r0 = System.nanoTime();
    expect(rest.call("POST", "/api/v1/bots/crasher/start", null), 202, "start crasher");
    deadline = r0 + TimeUnit.SECONDS.toNanos(restartTimeoutS);
    int lines = 0;
    while (System.nanoTime() < deadline) {
      lines = lineCount(ts);
      if (lines > restarts) {
        break;
      }
      Thread.sleep(POLL_MS);
    }
    Snapshot crashAfter = snapshot(pid);
    out.put("cpu_crash_loop", between(crashBefore, crashAfter, clockTicks).put("starts", lines));
    expect(rest.call("POST", "/api/v1/bots/crasher/stop", null), 202, "stop crasher");
    // the stop answers once begun: wait (at most 15 s) until the bot is reported stopped
    JsonObject crasher = new JsonObject();
    long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < stopDeadline) {
      crasher = expect(rest.call("GET", "/api/v1/bots/crasher", null), 200, "get crasher");
      if ("stopped".equals(crasher.getValue("status"))) {
        break;
      }
      Thread.sleep(POLL_MS);
    }
    out.put("crasher_after_stop", new JsonObject().put("status", crasher.getValue("status")).put("reason", crasher.getValue("reason"))
        .put("restarts", crasher.getValue("restarts")));
    log("crash loop: %d starts recorded in %.1f s; crasher now %s (%s), restarts %s", lines, ms(System.nanoTime() - r0) / 1000,
        crasher.getValue("status"), crasher.getValue("reason"), crasher.getValue("restarts"));
    Files.writeString(Path.of(require(args, "out")), out.encodePrettily());
  }

  private static String sleeper(int n) {
    return "sleeper-" + n;
  }

  private static int lineCount(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    int n = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int processCount() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path ignored : dirs) {
        n++;
      }
    }
    return n;
  }

  /** CPU counters of the gateway (process and per thread) and of the whole machine at one moment. */
  private record Snapshot(long machine, long process, Map<String, Long> threads, long nanos) {
  }

  private static Snapshot snapshot(long pid) throws IOException {
    long machine = BenchSupport.machineTicks()[0];
    long process = BenchSupport.processTicks(Path.of("/proc/" + pid + "/stat"));
    return new Snapshot(machine, process, threadTicks(pid), System.nanoTime());
  }

  /** CPU of the process over {@code seconds} (see {@link #between}). */
  private JsonObject cpu(long pid, int seconds, long clockTicks) throws IOException, InterruptedException {
    Snapshot before = snapshot(pid);
    Thread.sleep(seconds * 1000L);
    JsonObject cpu = between(before, snapshot(pid), clockTicks);
    log("gateway CPU %.2f %% of one core over %.1f s (rest of the machine %.2f cores)", cpu.getDouble("percent"),
        cpu.getDouble("wall_s"), cpu.getDouble("other_cores"));
    return cpu;
  }

  /**
   * utime+stime of the process (/proc/pid/stat) between two snapshots, as % of one core; the same
   * per thread name (/proc/pid/task/tid/comm, names cut to 15 characters by the kernel; threads
   * that ended in between are missing), and the busy time of the whole machine (/proc/stat) minus
   * the process, in cores. Resolution: one clock tick (1/CLK_TCK s) per counter.
   */
  private static JsonObject between(Snapshot a, Snapshot b, long clockTicks) {
    double wall = (b.nanos() - a.nanos()) / 1e9;
    double percent = (b.process() - a.process()) * 100.0 / clockTicks / wall;
    double machineBusy = (b.machine() - a.machine()) / (double) clockTicks / wall;
    Map<String, Double> sorted = new TreeMap<>();
    b.threads().forEach((tid, ticks) -> {
      String name = tid.substring(tid.indexOf(' ') + 1);
      sorted.merge(name, (ticks - a.threads().getOrDefault(tid, 0L)) * 100.0 / clockTicks / wall, Double::sum);
    });
    JsonObject byThread = new JsonObject();
    sorted.forEach((name, pct) -> {
      if (pct >= 0.05) {
        byThread.put(name, round(pct, 2));
      }
    });
    return new JsonObject().put("percent", round(percent, 2)).put("wall_s", round(wall, 3)).put("ticks", b.process() - a.process())
        .put("other_cores", round(machineBusy - percent / 100, 2)).put("threads", byThread);
  }

  /** "tid name" → utime+stime of each live thread. */
  private static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          ticks.put(task.getFileName() + " " + name, BenchSupport.processTicks(task.resolve("stat")));
        } catch (IOException e) {
          // thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  // ---- bare ProcessBuilder loop ---------------------------------------------------------------

  private void pbloop(List<String> argv) throws Exception {
    int n = intArg(args, "n", 101);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("pbloop needs the command after --");
    }
    long[] spawn = new long[n];
    long[] life = new long[n];
    Path dir = Path.of(args.getOrDefault("dir", "."));
    for (int i = 0; i < n; i++) {
      long before = System.nanoTime();
      Process process = new ProcessBuilder(argv).directory(dir.toFile()).start();
      long started = System.nanoTime();
      process.waitFor();
      long ended = System.nanoTime();
      spawn[i] = started - before;
      life[i] = ended - started;
    }
    Arrays.sort(spawn);
    Arrays.sort(life);
    JsonObject out = new JsonObject().put("n", n).put("argv", new JsonArray(new ArrayList<>(argv)))
        .put("start_call_p50_ms", ms(percentile(spawn, 50)))
        .put("start_to_exit_p50_ms", ms(percentile(life, 50)))
        .put("start_to_exit_p90_ms", ms(percentile(life, 90)));
    Files.writeString(Path.of(require(args, "out")), out.encodePrettily());
    log("bare loop: %d runs; start() p50 %.2f ms, start() return to waitFor() return p50 %.2f ms", n,
        ms(percentile(spawn, 50)), ms(percentile(life, 50)));
  }

  // ---- report ---------------------------------------------------------------------------------

  private void report() throws IOException {
    JsonObject gw = new JsonObject(Files.readString(Path.of(require(args, "gateway-json"))));
    JsonObject pb = new JsonObject(Files.readString(Path.of(require(args, "pbloop-json"))));
    StringBuilder md = new StringBuilder();
    int bots = gw.getInteger("bots");

    md.append(String.format(Locale.ROOT, "### Start %d bots (`[\"sleep\",\"100000\"]`), %d start requests in flight%n%n",
        bots, gw.getInteger("concurrency")));
    md.append("| measure | ms |\n|---|---:|\n");
    md.append(row("first start request → `GET /api/v1/bots?status=running` shows total=" + bots + " (polled every 50 ms)",
        gw.getDouble("start_all_running_ms")));
    md.append(row("first start request → last 202 received", gw.getDouble("start_last_reply_ms")));
    md.append(row("per-start latency (POST /start → 202) p50", gw.getDouble("start_latency_p50_ms")));
    md.append(row("per-start latency p99", gw.getDouble("start_latency_p99_ms")));
    md.append(row("per-start latency max", gw.getDouble("start_latency_max_ms")));
    md.append(row("(extra) stop all " + bots + ": first stop request → all listed `stopped`", gw.getDouble("stop_all_stopped_ms")));
    JsonObject startCpu = gw.getJsonObject("cpu_start");
    md.append(String.format(Locale.ROOT, "%nGateway CPU from the first start request until all were listed running: %.2f cores on"
            + " average (rest of the machine %.2f cores); busiest threads: %s.%n%n", startCpu.getDouble("percent") / 100,
        startCpu.getDouble("other_cores"), busiest(startCpu.getJsonObject("threads"), 4)));

    JsonObject idle = gw.getJsonObject("cpu_idle");
    JsonObject busy = gw.getJsonObject("cpu_busy");
    md.append(String.format(Locale.ROOT, "### Gateway JVM CPU, %d s windows (each after a %d s pause), `executor.sample_interval_ms`"
        + " = 1000 (default)%n%n", gw.getInteger("cpu_s"), gw.getInteger("settle_s")));
    md.append("| state | running bots | gateway CPU (% of one core) | rest of the machine (cores) |\n|---|---:|---:|---:|\n");
    md.append(String.format(Locale.ROOT, "| idle | %d | %.2f | %.2f |%n", gw.getInteger("running_during_idle"),
        idle.getDouble("percent"), idle.getDouble("other_cores")));
    md.append(String.format(Locale.ROOT, "| sampling | %d | %.2f | %.2f |%n", gw.getInteger("running_after_busy"),
        busy.getDouble("percent"), busy.getDouble("other_cores")));
    md.append(String.format(Locale.ROOT, "%nDifference: %.2f %% of one core for %d bots (%.3f %% per bot); %d processes on the"
            + " machine during the second window (OSHI reads the whole process table each sample).%n%n",
        busy.getDouble("percent") - idle.getDouble("percent"), bots,
        (busy.getDouble("percent") - idle.getDouble("percent")) / bots, gw.getInteger("procs_on_machine")));
    md.append("Gateway threads by name (kernel `comm`, 15 characters), % of one core, those ≥ 0.05 in either window:\n\n");
    md.append("| thread | idle | sampling |\n|---|---:|---:|\n");
    Map<String, double[]> threads = new TreeMap<>();
    idle.getJsonObject("threads").forEach(e -> threads.computeIfAbsent(e.getKey(), k -> new double[2])[0] = ((Number) e.getValue()).doubleValue());
    busy.getJsonObject("threads").forEach(e -> threads.computeIfAbsent(e.getKey(), k -> new double[2])[1] = ((Number) e.getValue()).doubleValue());
    threads.forEach((name, v) -> md.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.2f |%n", name, v[0], v[1])));
    md.append('\n');

    md.append("### Crash → restarted: interval between consecutive starts of a bot that exits at once\n\n");
    md.append("Command for all three: `").append(gw.getJsonArray("crasher_command").getString(2))
        .append("` run by `sh -c` (each supervisor writes its own file); each start appends `date +%s%N`."
        + " Interval = start-to-start, so it includes the bot's own run time. Intervals in ms.\n\n");
    md.append("| supervisor | restarts (intervals) | p50 | p90 | p99 | min | max | mean | setting |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    md.append(intervalRow("Codex-32 executor (gateway)", Path.of(require(args, "ts-gateway")),
        "policy always, backoff_initial_ms=10 (schema minimum) ±20 % jitter, multiplier 1"));
    md.append(intervalRow("bare `ProcessBuilder.start().waitFor()` loop", Path.of(require(args, "ts-pbloop")), "no delay"));
    md.append(intervalRow("supervisord " + args.getOrDefault("supervisord-version", "?"), Path.of(require(args, "ts-supervisord")),
        "autorestart=true, startsecs=0"));
    md.append(String.format(Locale.ROOT, "%nThe bot's own lifetime, as the bare loop sees it (`start()` returned → `waitFor()` returned):"
            + " p50 %.2f ms, p90 %.2f ms; `start()` itself p50 %.2f ms.%n", pb.getDouble("start_to_exit_p50_ms"),
        pb.getDouble("start_to_exit_p90_ms"), pb.getDouble("start_call_p50_ms")));
    JsonObject crashCpu = gw.getJsonObject("cpu_crash_loop");
    int starts = crashCpu.getInteger("starts");
    md.append(String.format(Locale.ROOT, "Gateway CPU during its crash loop: %.0f %% of one core over %.2f s for %d starts, i.e. %.1f ms"
            + " of gateway CPU per restart (rest of the machine %.2f cores); busiest threads: %s.%n",
        crashCpu.getDouble("percent"), crashCpu.getDouble("wall_s"), starts,
        crashCpu.getLong("ticks") * 1000.0 / Long.parseLong(args.getOrDefault("clk-tck", "100")) / Math.max(1, starts),
        crashCpu.getDouble("other_cores"), busiest(crashCpu.getJsonObject("threads"), 4)));
    long[] sup = intervals(Path.of(require(args, "ts-supervisord")));
    long slow = Arrays.stream(sup).filter(v -> v >= 1_500_000_000L).count();
    md.append(String.format(Locale.ROOT, "supervisord intervals of 1.5 s or more: %d of %d.%n", slow, sup.length));
    JsonObject after = gw.getJsonObject("crasher_after_stop");
    md.append(String.format(Locale.ROOT, "The crash-looping bot after the stop: status `%s`, restarts %s.%n",
        after.getValue("status"), after.getValue("restarts")));
    System.out.print(md);
  }

  private static String busiest(JsonObject threads, int n) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    threads.forEach(entries::add);
    entries.sort((x, y) -> Double.compare(((Number) y.getValue()).doubleValue(), ((Number) x.getValue()).doubleValue()));
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Object> e : entries.subList(0, Math.min(n, entries.size()))) {
      text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "`%s` %.2f", e.getKey(),
          ((Number) e.getValue()).doubleValue() / 100));
    }
    return text.append(" (cores)").toString();
  }

  /** Sorted start-to-start intervals (ns) of a timestamp file. */
  private static long[] intervals(Path file) throws IOException {
    List<Long> stamps = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          stamps.add(Long.parseLong(line.strip()));
        }
      }
    }
    long[] intervals = new long[Math.max(0, stamps.size() - 1)];
    for (int i = 1; i < stamps.size(); i++) {
      intervals[i - 1] = stamps.get(i) - stamps.get(i - 1);
    }
    Arrays.sort(intervals);
    return intervals;
  }

  private static String row(String what, Double value) {
    return String.format(Locale.ROOT, "| %s | %s |%n", what, value == null ? "n/a" : String.format(Locale.ROOT, "%.0f", value));
  }

  private static String intervalRow(String name, Path file, String setting) throws IOException {
    long[] intervals = intervals(file);
    if (intervals.length == 0) {
      return String.format(Locale.ROOT, "| %s | 0 | n/a | n/a | n/a | n/a | n/a | n/a | %s |%n", name, setting);
    }
    double mean = Arrays.stream(intervals).average().orElse(0);
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", name, intervals.length,
        ms(percentile(intervals, 50)), ms(percentile(intervals, 90)), ms(percentile(intervals, 99)), ms(intervals[0]),
        ms(intervals[intervals.length - 1]), mean / 1e6, setting);
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
