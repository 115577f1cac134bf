package io.codex32.bench;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * GPIO benchmark (see docs/benchmarks.md, "GPIO"); driven by bench/gpio.sh. One JVM holds a real
 * gateway and a GPIO node on Pi4J's mock platform ({@link GpioRig}) and the measuring clients, so
 * every time is one {@link System#nanoTime()} clock. Sequential operations, one at a time:
 * <ol>
 *   <li>REST write: {@code POST /api/v1/nodes/bench-pi/gpio/out} {@code {"action":"write"}} with the
 *   opposite of the output's state, on one keep-alive connection; measured from the send until a
 *   Pi4J listener on the mock output sees the change, and until the response arrived. Reference,
 *   interleaved one for one: {@code output.high()}/{@code low()} called directly, until the same
 *   listener fires.</li>
 *   <li>Input edge: {@code MockDigitalInput.mockState} flips the inputs in turn, at most one edge
 *   every {@code edge-interval-ms} (each pin then changes less often than its 10/s rate limit);
 *   measured until the {@code gpio} frame reaches a {@code /ws/events} client subscribed to
 *   {@code gpio/bench-pi}. Reference: a Pi4J listener on the same input, added before the node's, so it is called
 *   first.</li>
 * </ol>
 * Arguments ({@code --name=value}): {@code data-dir} and {@code out} (the Markdown report), and
 * optionally {@code ops} (measured operations per path, 2000), {@code warmup-ops} (500),
 * {@code inputs} (16), {@code edge-interval-ms} (8), {@code debounce-ms} (of the inputs, 0) and
 * {@code max-s} (a bound on both measured loops together, 300).
 */
public final class GpioBench {

  private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
  private static final long WAIT_S = 5;
  private static final long FRAME_TIMEOUT_MS = 2_000;

  private final GpioRig rig;
  /** On every input, called before the node's own listener. */
  private final Stamp inputProbe;
  private final int ops;
  private final int warmupOps;
  private final long edgeIntervalNs;
  private final long deadline;
  private final CpuProbe cpu = new CpuProbe();

  private GpioBench(GpioRig rig, Stamp inputProbe, Map<String, String> args) {
    this.rig = rig;
    this.inputProbe = inputProbe;
    this.ops = BenchSupport.intArg(args, "ops", 2000);
    this.warmupOps = BenchSupport.intArg(args, "warmup-ops", 500);
    this.edgeIntervalNs = TimeUnit.MILLISECONDS.toNanos(BenchSupport.intArg(args, "edge-interval-ms", 8));
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BenchSupport.intArg(args, "max-s", 300));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchSupport.parseArgs(argv, 0);
    Path out = Path.of(BenchSupport.require(args, "out"));
    int inputs = BenchSupport.intArg(args, "inputs", 16);
    int debounceMs = BenchSupport.intArg(args, "debounce-ms", 0);
    StringBuilder report = new StringBuilder();
    log("starting the gateway and node %s (%d inputs, debounce %d ms)", GpioRig.NODE, inputs, debounceMs);
    Stamp inputProbe = new Stamp();
    try (GpioRig rig = GpioRig.start(Path.of(BenchSupport.require(args, "data-dir")), inputs, debounceMs, inputProbe)) {
      Vertx client = Vertx.vertx();
      try {
        new GpioBench(rig, inputProbe, args).run(client, inputs, debounceMs, report);
      } finally {
        client.close().await(30, TimeUnit.SECONDS);
      }
    }
    Files.writeString(out, report);
    System.exit(0);
  }

  private static void log(String format, Object... values) {
    System.err.println("gpio-bench: " + String.format(Locale.ROOT, format, values));
  }

  private void run(Vertx client, int inputs, int debounceMs, StringBuilder report) throws Exception {
    String token = new GatewayRest(rig.httpPort()).login(rig.adminPassword());
    awaitNodeOnline();
    Phase writes = writes(client, token);
    Phase edges = edges(client, token);
    report.append(String.format(Locale.ROOT, "Node `%s` on Pi4J's mock platform: 1 output, %d inputs (debounce %d ms), one edge at most"
        + " every %d ms; %d measured operations per path after %d of warm-up, one at a time.%n%n", GpioRig.NODE, inputs, debounceMs,
        TimeUnit.NANOSECONDS.toMillis(edgeIntervalNs), ops, warmupOps));
    report.append("| Path | n | lost | p50 | p90 | p99 | max | p50 ratio | p99 ratio |\n");
    report.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    writes.rows(report);
    edges.rows(report);
    report.append('\n').append(writes.note()).append('\n').append(edges.note()).append('\n');
  }

  private void awaitNodeOnline() throws Exception {
    GatewayRest rest = new GatewayRest(rig.httpPort());
    rest.login(rig.adminPassword());
    for (int i = 0; i < 100; i++) {
      if (rest.call("GET", "/api/v1/nodes/" + GpioRig.NODE, null).statusCode() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node " + GpioRig.NODE + " not known to the gateway after 10 s");
  }

  // ---- 1. REST write → output changed ---------------------------------------------------------

  private Phase writes(Vertx client, String token) throws Exception {
    WebClient http = WebClient.create(client, new WebClientOptions().setDefaultHost(ClosedLoop.HOST).setDefaultPort(rig.httpPort())
        .setKeepAlive(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(1));
    DigitalOutput output = rig.output();
    Stamp changed = new Stamp();
    output.addListener(changed);
    Samples pin = new Samples("REST write → output changed");
    Samples response = new Samples("REST write → HTTP response");
    Samples direct = new Samples("reference: output.high()/low() → listener");
    log("REST writes: %d warm-up, %d measured, each followed by a direct call", warmupOps, ops);
    cpu.start();
    int done = 0;
    for (int i = 0; i < warmupOps + ops && System.nanoTime() < deadline; i++) {
      boolean measured = i >= warmupOps;
      restWrite(http, token, output, changed, measured ? pin : null, measured ? response : null);
      directWrite(output, changed, measured ? direct : null);
      done += measured ? 1 : 0;
    }
    double[] busy = cpu.stop();
    output.removeListener(changed);
    http.close();
    return new Phase(List.of(pin, response), direct, done, busy, String.format(Locale.ROOT,
        "REST writes: %d of %d measured (time bound: %s); %d responses not 200.", done, ops, done < ops ? "reached" : "not reached",
        response.failed));
  }

  private void restWrite(WebClient http, String token, DigitalOutput output, Stamp changed, Samples pin, Samples response)
      throws Exception {
    String value = output.state().isHigh() ? "low" : "high";
    CompletableFuture<Long> change = changed.arm();
    CompletableFuture<Long> answered = new CompletableFuture<>();
    int[] status = new int[1];
    long sent = System.nanoTime();
    http.post("/api/v1/nodes/" + GpioRig.NODE + "/gpio/" + GpioRig.OUTPUT).bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("action", "write").put("value", value))
        .onComplete(result -> {
          long now = System.nanoTime();
          status[0] = result.succeeded() ? result.result().statusCode() : -1;
          answered.complete(now);
        });
    long answeredAt = answered.get(WAIT_S, TimeUnit.SECONDS);
    Long changedAt = await(change);
    if (response != null) {
      if (status[0] != 200) {
        response.failed++;
      }
      response.record(answeredAt - sent);
      pin.record(changedAt == null ? null : changedAt - sent);
    }
  }

  private static void directWrite(DigitalOutput output, Stamp changed, Samples direct) throws Exception {
    boolean high = !output.state().isHigh();
    CompletableFuture<Long> change = changed.arm();
    long called = System.nanoTime();
    if (high) {
      output.high();
    } else {
      output.low();
    }
    Long changedAt = await(change);
    if (direct != null) {
      direct.record(changedAt == null ? null : changedAt - called);
    }
  }

  // ---- 2. mock input edge → WebSocket frame ---------------------------------------------------

  private Phase edges(Vertx client, String token) throws Exception {
    GpioSocket socket = GpioSocket.open(client, rig.httpPort(), token, GpioRig.NODE);
    List<MockDigitalInput> inputs = rig.inputs();
    Samples frame = new Samples("mock input edge → WebSocket frame");
    Samples listener = new Samples("reference: mockState() → first Pi4J listener");
    log("input edges: %d warm-up, %d measured, one every %d ms at most over %d pins", warmupOps, ops,
        TimeUnit.NANOSECONDS.toMillis(edgeIntervalNs), inputs.size());
    cpu.start();
    int done = 0;
    long next = System.nanoTime();
    for (int i = 0; i < warmupOps + ops && System.nanoTime() < deadline; i++) {
      sleepUntil(next);
      next = System.nanoTime() + edgeIntervalNs;
      boolean measured = i >= warmupOps;
      edge(inputs.get(i % inputs.size()), "in" + i % inputs.size(), socket, inputProbe, measured ? frame : null,
          measured ? listener : null);
      done += measured ? 1 : 0;
    }
    double[] busy = cpu.stop();
    String closedBy = socket.closedBy();
    socket.close();
    return new Phase(List.of(frame), listener, done, busy, String.format(Locale.ROOT,
        "Input edges: %d of %d measured (time bound: %s); frames lost (none within %d ms): %d; frames matching no edge: %d;"
        + " largest `dropped` a frame reported: %d; WebSocket closed before the end of the phase: %s.", done, ops,
        done < ops ? "reached" : "not reached", FRAME_TIMEOUT_MS, frame.lost, socket.unexpected(), socket.maxDropped(),
        closedBy == null ? "no" : closedBy));
  }

  private static void edge(MockDigitalInput input, String pin, GpioSocket socket, Stamp seen, Samples frame, Samples listener)
      throws Exception {
    boolean high = !input.state().isHigh();
    CompletableFuture<Long> arrival = socket.expect(pin, high ? "high" : "low");
    CompletableFuture<Long> fired = seen.arm();
    long flipped = System.nanoTime();
    input.mockState(high ? DigitalState.HIGH : DigitalState.LOW);
    Long firedAt = await(fired);
    Long arrivedAt;
    try {
      arrivedAt = arrival.get(FRAME_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      arrivedAt = null;
    }
    if (frame != null) {
      frame.record(arrivedAt == null ? null : arrivedAt - flipped);
      listener.record(firedAt == null ? null : firedAt - flipped);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static Long await(CompletableFuture<Long> future) throws Exception {
    try {
      return future.get(WAIT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return null;
    }
  }

  // ---- measuring --------------------------------------------------------------------------------

  /** A Pi4J listener completing the future {@link #arm} returned with the time it fired, on the thread that changed the pin. */
  private static final class Stamp implements DigitalStateChangeListener {

    private volatile CompletableFuture<Long> next;

    CompletableFuture<Long> arm() {
      CompletableFuture<Long> future = new CompletableFuture<>();
      next = future;
      return future;
    }

    @Override
    public void onDigitalStateChange(DigitalStateChangeEvent event) {
      CompletableFuture<Long> waiting = next;
      if (waiting != null) {
        waiting.complete(System.nanoTime());
      }
    }
  }

  /** One path's latencies (ns); an operation that did not complete in time counts as lost. */
  private static final class Samples {

    final String name;
    final Histogram histogram = new Histogram(HIGHEST_NS, 3);
    long lost;
    long failed;

    Samples(String name) {
      this.name = name;
    }

    void record(Long nanos) {
      if (nanos == null) {
        lost++;
      } else {
        histogram.recordValue(Math.min(HIGHEST_NS, Math.max(0, nanos)));
      }
    }

    String row(Samples reference) {
      String p50Ratio = reference == null ? "1" : ratio(histogram.getValueAtPercentile(50), reference.histogram.getValueAtPercentile(50));
      String p99Ratio = reference == null ? "1" : ratio(histogram.getValueAtPercentile(99), reference.histogram.getValueAtPercentile(99));
      return String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |%n", name, histogram.getTotalCount(), lost,
          us(histogram.getValueAtPercentile(50)), us(histogram.getValueAtPercentile(90)), us(histogram.getValueAtPercentile(99)),
          us(histogram.getMaxValue()), p50Ratio, p99Ratio);
    }

    private static String ratio(long value, long reference) {
      return reference == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f×", (double) value / reference);
    }

    private static String us(long nanos) {
      return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
          : String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
  }

  /** A phase's measured paths and their reference, with the CPU it used. */
  private record Phase(List<Samples> paths, Samples reference, int done, double[] busy, String summary) {

    void rows(StringBuilder out) {
      paths.forEach(path -> out.append(path.row(reference)));
      out.append(reference.row(null));
    }

    String note() {
      return String.format(Locale.ROOT, "%s CPU over the phase (warm-up included): this JVM %.2f cores, the whole machine %.2f cores.",
          summary, busy[0], busy[1]);
    }
  }

  /** CPU cores busy between {@link #start} and {@link #stop}: this process, and the whole machine. */
  private static final class CpuProbe {

    private static final Path SELF = Path.of("/proc/self/stat");
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture this runs on. */
    private static final double TICKS_PER_S = 100;
    private long[] begin;

    void start() throws IOException {
      begin = read();
    }

    double[] stop() throws IOException {
      long[] end = read();
      double seconds = (end[0] - begin[0]) / 1e9;
      double machineShare = (double) (end[2] - begin[2]) / Math.max(1, end[3] - begin[3]);
      return new double[] {(end[1] - begin[1]) / TICKS_PER_S / seconds, machineShare * Runtime.getRuntime().availableProcessors()};
    }

    private static long[] read() throws IOException {
      long[] machine = BenchSupport.machineTicks();
      return new long[] {System.nanoTime(), BenchSupport.processTicks(SELF), machine[0], machine[1]};
    }
  }
}
