package io.codex32.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * MQTT ingest benchmark tool (docs/benchmarks.md, "MQTT"); driven by bench/mqtt.sh. One JVM, one
 * client library (HiveMQ MQTT client, MQTT 3.1.1, async API) for both targets, one after the other:
 * the gateway and Mosquitto, both on 127.0.0.1. Arguments {@code --name=value}:
 * {@code gateway-http-port}, {@code gateway-mqtt-port}, {@code gateway-pid}, {@code password} (admin),
 * {@code mosquitto-port}, {@code mosquitto-pid}, {@code devices} (comma list, e.g. 100,1000),
 * {@code idle} (connections for the idle-memory phase), {@code register-budget-s},
 * {@code warmup-s}, {@code duration-s}, {@code out} (Markdown written there).
 *
 * <p>Phases: register devices through the REST API (the gateway needs them; Mosquitto accepts
 * anyone, and gets the same client ids, usernames and passwords); idle memory per target: server RSS
 * before, open {@code idle} connections, settle, RSS after; then for each target, QoS 0 and 1 and each
 * device count: connect the devices, each publishes a small JSON telemetry message in a closed loop
 * (the next one when the previous one's future completes: for QoS 1 at its PUBACK, for QoS 0 when
 * written), warm-up, measured phase.
 */
public final class MqttBench {

  private static final String HOST = "127.0.0.1";
  private static final byte[] PAYLOAD = "{\"temp\":21.5,\"humidity\":40}".getBytes(StandardCharsets.UTF_8);
  private static final int CONNECTS_IN_FLIGHT = 200;
  private static final long CONNECT_TIMEOUT_S = 60;
  private static double clockTicks = 100;

  private final Map<String, String> args;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService loopExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
  private final List<String[]> credentials = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();

  private MqttBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchSupport.parseArgs(argv, 0);
    clockTicks = Double.parseDouble(args.getOrDefault("clk-tck", "100"));
    int errors = new MqttBench(args).run();
    System.exit(errors == 0 ? 0 : 1);
  }

  private String require(String name) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return value;
  }

  private int intArg(String name) {
    return Integer.parseInt(require(name));
  }

  private static void log(String format, Object... values) {
    System.err.println("mqtt-bench: " + String.format(Locale.ROOT, format, values));
  }

  /** A server under test. */
  private record Target(String name, int port, long pid) {
  }

  private int run() throws Exception {
    Target gateway = new Target("gateway", intArg("gateway-mqtt-port"), Long.parseLong(require("gateway-pid")));
    Target mosquitto = new Target("mosquitto", intArg("mosquitto-port"), Long.parseLong(require("mosquitto-pid")));
    List<Integer> deviceCounts = new ArrayList<>();
    for (String n : require("devices").split(",")) {
      deviceCounts.add(Integer.parseInt(n.trim()));
    }
    int idle = intArg("idle");
    int maxDevices = Math.max(idle, deviceCounts.stream().mapToInt(Integer::intValue).max().orElse(0));
    int errors = 0;

    // ---- registration ----
    int needed = deviceCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
    long t0 = System.nanoTime();
    register(maxDevices, needed, intArg("register-budget-s"));
    double registerS = (System.nanoTime() - t0) / 1e9;
    report.append(String.format(Locale.ROOT, "Device registration (`POST /api/v1/devices` as admin, 16 requests in flight): "
        + "%d devices in %.1f s (%.0f/s)%s.%n%n", credentials.size(), registerS, credentials.size() / registerS,
        credentials.size() < maxDevices ? ", stopped by the time budget of " + require("register-budget-s") + " s before "
            + maxDevices : ""));

    // ---- idle memory ----
    int idleCount = Math.min(idle, credentials.size());
    report.append("Memory per idle connection: server RSS (`/proc/<pid>/status` VmRSS) before and after opening the connections "
        + "(MQTT 3.1.1, clean session, keep-alive 60 s, no traffic), 5 s after the last CONNACK.\n\n");
    report.append("| server | connections asked | connected | connect errors | connect time (s) | RSS before (MiB) "
        + "| RSS with connections (MiB) | KiB per connection |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Target target : List.of(gateway, mosquitto)) {
      errors += idleMemory(target, idleCount);
    }
    report.append('\n');

    // ---- message rate ----
    int warmupS = intArg("warmup-s");
    int durationS = intArg("duration-s");
    report.append(String.format(Locale.ROOT, "Telemetry ingest: each device publishes `%s` (%d bytes) to `devices/<id>/telemetry` "
        + "in a closed loop, one message in flight per device; %d s warm-up + %d s measured per row. Latency (QoS 1 only) is "
        + "publish → PUBACK in ms. QoS 0: a publish counts when written to the socket; after the measured phase every device "
        + "sends one QoS 1 message and msgs/s is measured msgs / (measured phase + drain until the last PUBACK). "
        + "CPU in cores over the measured phase.%n%n", new String(PAYLOAD, StandardCharsets.UTF_8),
        PAYLOAD.length, warmupS, durationS));
    report.append("| server | QoS | devices | msgs/s | measured msgs | QoS 0 drain (s) | errors | p50 | p90 | p99 | max "
        + "| server CPU | loadgen CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int qos : List.of(0, 1)) {
      for (int devices : deviceCounts) {
        for (Target target : List.of(gateway, mosquitto)) {
          errors += rate(target, qos, Math.min(devices, credentials.size()), warmupS, durationS);
        }
      }
    }
    Files.writeString(Path.of(require("out")), report.toString());
    loopExecutor.shutdownNow();
    return errors;
  }

  // ---- registration -----------------------------------------------------------------------------

  private void register(int wanted, int required, int budgetS) throws Exception {
    String base = "http://" + HOST + ":" + require("gateway-http-port");
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "admin").put("password", require("password")).encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (login.statusCode() != 200) {
      throw new IllegalStateException("login: " + login.statusCode() + " " + login.body());
    }
    String bearer = "Bearer " + new JsonObject(login.body()).getString("access_token");
    String[][] made = new String[wanted][];
    AtomicInteger next = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetS);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 16; w++) {
      workers.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < wanted) {
          // the devices every rate row needs are registered whatever the budget says
          if (i >= required && System.nanoTime() > deadline) {
            return null;
          }
          String id = String.format(Locale.ROOT, "bench-dev-%05d", i);
          HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", bearer)
              .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("id", id).encode())).build(),
              HttpResponse.BodyHandlers.ofString());
          if (created.statusCode() != 201) {
            throw new IllegalStateException("register " + id + ": " + created.statusCode() + " " + created.body());
          }
          made[i] = new String[] {id, new JsonObject(created.body()).getString("secret")};
          if ((i + 1) % 1000 == 0) {
            log("registered %d devices", i + 1);
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    for (String[] device : made) {
      if (device == null) {
        break;
      }
      credentials.add(device);
    }
  }

  // ---- connections ------------------------------------------------------------------------------

  private static Mqtt3AsyncClient client(Target target, String[] device) {
    return MqttClient.builder().useMqttVersion3().identifier(device[0]).serverHost(HOST).serverPort(target.port()).buildAsync();
  }

  /** Connects {@code count} devices, at most {@link #CONNECTS_IN_FLIGHT} CONNECTs at a time; failed ones are null. */
  private List<Mqtt3AsyncClient> connect(Target target, int count, AtomicInteger failures) throws InterruptedException {
    List<Mqtt3AsyncClient> clients = new ArrayList<>();
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String[] device = credentials.get(i);
      Mqtt3AsyncClient client = client(target, device);
      clients.add(client);
      inFlight.acquire();
      pending.add(client.connectWith().cleanSession(true).keepAlive(60).simpleAuth().username(device[0])
          .password(device[1].getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()
          .orTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
          .whenComplete((ack, e) -> {
            inFlight.release();
            if (e != null) {
              if (failures.incrementAndGet() <= 3) {
                log("%s: CONNECT of %s failed: %s", target.name(), device[0], e);
              }
            }
          }));
    }
    for (CompletableFuture<?> future : pending) {
      try {
        future.join();
      } catch (RuntimeException ignored) {
        // counted above
      }
    }
    return clients;
  }

  private static void disconnect(List<Mqtt3AsyncClient> clients) {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (Mqtt3AsyncClient client : clients) {
      if (client.getState().isConnected()) {
        pending.add(client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null));
      }
    }
    pending.forEach(CompletableFuture::join);
  }

  private static long connected(List<Mqtt3AsyncClient> clients) {
    return clients.stream().filter(c -> c.getState().isConnected()).count();
  }

  // ---- idle memory ------------------------------------------------------------------------------

  private int idleMemory(Target target, int count) throws Exception {
    log("%s: idle memory with %d connections", target.name(), count);
    Thread.sleep(2000);
    long before = rssKib(target.pid());
    AtomicInteger failures = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Mqtt3AsyncClient> clients = connect(target, count, failures);
    double connectS = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(5000);
    long after = rssKib(target.pid());
    long up = connected(clients);
    report.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.0f | %.0f | %.1f |%n", target.name(), count, up,
        failures.get(), connectS, before / 1024.0, after / 1024.0, up == 0 ? 0.0 : (after - before) / (double) up));
    log("%s: %d connected (%d failed) in %.1f s; RSS %d -> %d KiB", target.name(), up, failures.get(), connectS, before, after);
    disconnect(clients);
    Thread.sleep(2000);
    return failures.get();
  }

  // ---- message rate -----------------------------------------------------------------------------

  private int rate(Target target, int qos, int devices, int warmupS, int durationS) throws Exception {
    log("%s: QoS %d with %d devices", target.name(), qos, devices);
    AtomicInteger connectFailures = new AtomicInteger();
    List<Mqtt3AsyncClient> clients = connect(target, devices, connectFailures);
    MqttQos level = qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    Loop loop = new Loop(level);
    for (int i = 0; i < clients.size(); i++) {
      if (clients.get(i).getState().isConnected()) {
        loop.running.incrementAndGet();
        loop.publish(clients.get(i), "devices/" + credentials.get(i)[0] + "/telemetry");
      }
    }
    Thread.sleep(warmupS * 1000L);
    loop.recorder.reset();
    loop.measured.set(0);
    long errorsBefore = loop.errors.get();
    Cpu serverBefore = Cpu.of(target.pid());
    Cpu selfBefore = Cpu.of(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    loop.measuring = true;
    Thread.sleep(durationS * 1000L);
    loop.measuring = false;
    double seconds = (System.nanoTime() - t0) / 1e9;
    Cpu serverAfter = Cpu.of(target.pid());
    Cpu selfAfter = Cpu.of(ProcessHandle.current().pid());
    long measured = loop.measured.get();
    Histogram latency = loop.recorder.getIntervalHistogram();
    loop.stop = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (loop.running.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long errors = loop.errors.get() - errorsBefore + connectFailures.get() + loop.running.get();
    // A QoS 0 publish completes once written to the socket, and loopback socket buffers hold
    // megabytes: the server may still be reading. One QoS 1 message per device, acknowledged only
    // after everything before it on that connection was read, fences the row: the rate counts the
    // time until the last fence's PUBACK.
    double drainS = 0;
    if (qos == 0) {
      List<CompletableFuture<?>> fences = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        if (clients.get(i).getState().isConnected()) {
          fences.add(clients.get(i).publishWith().topic("devices/" + credentials.get(i)[0] + "/telemetry")
              .qos(MqttQos.AT_LEAST_ONCE).payload(PAYLOAD).send().orTimeout(60, TimeUnit.SECONDS));
        }
      }
      for (CompletableFuture<?> fence : fences) {
        try {
          fence.join();
        } catch (RuntimeException e) {
          errors++;
        }
      }
      double untilFenced = (System.nanoTime() - t0) / 1e9;
      drainS = untilFenced - seconds;
      seconds = untilFenced;
    }
    disconnect(clients);
    String lat = qos == 0 || latency.getTotalCount() == 0 ? "– | – | – | –" : String.format(Locale.ROOT, "%.2f | %.2f | %.2f | %.1f",
        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6, latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6);
    report.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %d | %s | %d | %s | %.2f | %.2f |%n", target.name(), qos,
        devices, measured / seconds, measured, qos == 0 ? String.format(Locale.ROOT, "%.2f", drainS) : "–", errors, lat, serverBefore.coresUntil(serverAfter, seconds),
        selfBefore.coresUntil(selfAfter, seconds)));
    log("%s: QoS %d, %d devices: %.0f msgs/s, %d errors", target.name(), qos, devices, measured / seconds, errors);
    Thread.sleep(1000);
    return (int) errors;
  }

  /** The closed loops of all devices of one row. */
  private final class Loop {
    final MqttQos qos;
    final Recorder recorder = new Recorder(3);
    final AtomicLong measured = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicInteger running = new AtomicInteger();
    volatile boolean measuring;
    volatile boolean stop;

    Loop(MqttQos qos) {
      this.qos = qos;
    }

    void publish(Mqtt3AsyncClient client, String topic) {
      if (stop) {
        running.decrementAndGet();
        return;
      }
      long sent = System.nanoTime();
      client.publishWith().topic(topic).qos(qos).payload(PAYLOAD).send().whenCompleteAsync((ack, e) -> {
        if (e != null) {
          // one error ends this device's loop: a broken connection must not spin
          if (errors.incrementAndGet() <= 3) {
            log("publish on %s failed: %s", topic, e);
          }
          running.decrementAndGet();
          return;
        }
        if (measuring) {
          measured.incrementAndGet();
          recorder.recordValue(System.nanoTime() - sent);
        }
        publish(client, topic);
      }, loopExecutor);
    }
  }

  // ---- /proc ------------------------------------------------------------------------------------

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  /** utime + stime of a process in clock ticks. */
  private record Cpu(long ticks) {
    static Cpu of(long pid) throws IOException {
      return new Cpu(BenchSupport.processTicks(Path.of("/proc/" + pid + "/stat")));
    }

    double coresUntil(Cpu later, double seconds) {
      return (later.ticks - ticks) / clockTicks / seconds;
    }
  }
}
