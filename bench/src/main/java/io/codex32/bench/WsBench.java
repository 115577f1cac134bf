package io.codex32.bench;

import static io.codex32.bench.BenchSupport.intArg;
import static io.codex32.bench.BenchSupport.require;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * WebSocket fan-out benchmark (see docs/benchmarks.md, "WebSocket fan-out"); driven by bench/ws.sh.
 *
 * <p>Subcommands, arguments as {@code --name=value}:
 * <ul>
 *   <li>{@code gateway}: against a running gateway on 127.0.0.1 ({@code port}, {@code password}):
 *   logs in, creates a bot {@code ["sh","-c","exit 1"]} with restart policy {@code always} and a
 *   10 ms backoff, opens {@code subscribers} WebSockets to {@code /ws/events} (token as the
 *   {@code codex32.bearer.<jwt>} sub-protocol), subscribes each to {@code bots}, starts the bot
 *   and measures, for every status frame received, receive time − the event's {@code data.time}
 *   (set by the executor when it publishes on {@code codex32.bots.events}). Warm-up
 *   {@code warmup-s}, then {@code duration-s} measured. Writes JSON to {@code out}.</li>
 *   <li>{@code ref-server}: the reference: a bare Vert.x WebSocket broadcaster on 127.0.0.1, port 0
 *   ({@code dir}/ports.json, {@code /health/ready}), {@code instances} verticle instances sharing
 *   the port; a source verticle publishes {@code {"type","seq","time"}} on the local event bus
 *   {@code rate} times a second (a 1 ms timer with a credit, so fractional periods average out)
 *   and every instance writes it with {@code writeTextMessage} to each of its sockets.</li>
 *   <li>{@code ref}: the same clients against the reference ({@code port}); latency = receive time −
 *   {@code time}.</li>
 *   <li>{@code report}: prints the Markdown table from {@code gateway-json} and {@code ref-json}.</li>
 * </ul>
 * Times are wall-clock instants ({@link Instant#now()}, microsecond resolution on Linux) taken in
 * different JVMs on the same machine, so they share one clock.
 */
public final class WsBench {

  private static final String HOST = "127.0.0.1";
  private static final long HIGHEST_US = TimeUnit.SECONDS.toMicros(60);

  private final Map<String, String> args;

  private WsBench(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      throw new IllegalArgumentException("usage: WsBench gateway|ref-server|ref|report --name=value ...");
    }
    Map<String, String> args = BenchSupport.parseArgs(argv, 1);
    WsBench bench = new WsBench(args);
    switch (argv[0]) {
      case "gateway" -> bench.gateway();
      case "ref-server" -> {
        bench.refServer();
        return; // keeps running until SIGTERM
      }
      case "ref" -> bench.ref();
      case "report" -> bench.report();
      default -> throw new IllegalArgumentException("unknown subcommand " + argv[0]);
    }
    System.exit(0);
  }

  private static void log(String format, Object... values) {
    System.err.println("ws-bench: " + String.format(Locale.ROOT, format, values));
  }

  static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
  }

  // ---- REST (gateway set-up) ------------------------------------------------------------------

  private GatewayRest rest;

  // ---- the measuring clients (the same code for both targets) ---------------------------------

  /** Per-client counters; each touched only on its socket's event loop while measuring, read after the window. */
  static final class Client {
    final int index;
    WebSocket ws;
    final Histogram latency = new Histogram(HIGHEST_US, 3);
    long measured;
    long total;
    long lastSeq = -1;
    long gaps;
    long droppedNotices;
    long droppedCount;
    long errors;
    Short closeCode;
    final CountDownLatch subscribed = new CountDownLatch(1);

    Client(int index) {
      this.index = index;
    }
  }

  /** Shared between client event loops: the measuring window and the per-event receive spread. */
  static final class Run {
    volatile long windowStartUs = Long.MAX_VALUE;
    volatile long windowEndUs = Long.MAX_VALUE;
    volatile boolean ending;
    /** event key → {event time, first receive, last receive, receivers}, for events inside the window. */
    final ConcurrentHashMap<String, long[]> events = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
  }

  private interface Frame {
    /** Returns {key, event time µs, seq} or null when the frame is not an event. */
    Object[] parse(Client client, JsonObject frame);
  }

  private void onText(Run run, Client client, String text, Frame frameParser) {
    long now = micros(Instant.now());
    synchronized (client) { // uncontended: summarize() reads the counters from another thread
      onFrame(run, client, now, text, frameParser);
    }
  }

  private void onFrame(Run run, Client client, long now, String text, Frame frameParser) {
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type", "");
    switch (type) {
      case "subscribed" -> {
        client.subscribed.countDown();
        return;
      }
      case "dropped" -> {
        client.droppedNotices++;
        client.droppedCount += frame.getLong("count", 0L);
        return;
      }
      case "error" -> {
        client.errors++;
        log("client %d: error frame %s", client.index, text);
        return;
      }
      case "pong" -> {
        return;
      }
      default -> {
      }
    }
    Object[] event = frameParser.parse(client, frame);
    if (event == null) {
      return;
    }
    client.total++;
    long seq = (Long) event[2];
    if (client.lastSeq >= 0 && seq != client.lastSeq + 1) {
      client.gaps += Math.max(0, seq - client.lastSeq - 1);
    }
    client.lastSeq = seq;
    long eventUs = (Long) event[1];
    if (eventUs < run.windowStartUs || eventUs >= run.windowEndUs) {
      return;
    }
    client.measured++;
    client.latency.recordValue(Math.min(HIGHEST_US, Math.max(0, now - eventUs)));
    run.events.compute((String) event[0], (k, v) -> {
      if (v == null) {
        return new long[] {eventUs, now, now, 1};
      }
      v[1] = Math.min(v[1], now);
      v[2] = Math.max(v[2], now);
      v[3]++;
      return v;
    });
  }

  private List<Client> connect(Vertx vertx, Run run, int port, String uri, List<String> protocols, JsonObject subscribe, Frame parser,
      int subscribers) throws Exception {
    WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(subscribers + 10)
        .setConnectTimeout(10_000));
    List<Client> clients = new ArrayList<>();
    List<Future<WebSocket>> opens = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      Client client = new Client(i);
      clients.add(client);
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(HOST).setPort(port).setURI(uri);
      if (!protocols.isEmpty()) {
        options.setSubProtocols(protocols);
      }
      opens.add(wsClient.connect(options).onSuccess(ws -> {
        client.ws = ws;
        ws.textMessageHandler(text -> onText(run, client, text, parser));
        ws.closeHandler(v -> {
          client.closeCode = ws.closeStatusCode();
          if (!run.ending) {
            log("client %d closed by the server: %s %s", client.index, ws.closeStatusCode(), ws.closeReason());
          }
        });
        if (subscribe != null) {
          ws.writeTextMessage(subscribe.encode());
        } else {
          client.subscribed.countDown();
        }
      }));
    }
    Future.all(opens).await(30, TimeUnit.SECONDS);
    for (Client client : clients) {
      if (!client.subscribed.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("client " + client.index + " not subscribed within 30 s");
      }
    }
    log("%d clients connected and subscribed", subscribers);
    return clients;
  }

  /** Warm-up, then the measured window (by event time), then a grace period for in-flight frames. */
  private JsonObject measure(Vertx vertx, Run run, List<Client> clients, String target) throws Exception {
    int warmupS = intArg(args, "warmup-s", 5);
    int durationS = intArg(args, "duration-s", 20);
    log("%s: warm-up %d s", target, warmupS);
    Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS));
    long start = micros(Instant.now());
    run.windowEndUs = start + TimeUnit.SECONDS.toMicros(durationS);
    run.windowStartUs = start;
    log("%s: measuring %d s", target, durationS);
    Thread.sleep(TimeUnit.SECONDS.toMillis(durationS));
    Thread.sleep(1000); // frames of events from the end of the window still arriving
    run.ending = true;
    return summarize(vertx, run, clients, target, durationS);
  }

  private JsonObject summarize(Vertx vertx, Run run, List<Client> clients, String target, int durationS) throws Exception {
    // read the counters on each client's own event loop, so the values are current
    Histogram all = new Histogram(HIGHEST_US, 3);
    long measured = 0;
    long total = 0;
    long gaps = 0;
    long droppedNotices = 0;
    long droppedCount = 0;
    long errors = 0;
    long closed = 0;
    long minPerClient = Long.MAX_VALUE;
    long maxPerClient = 0;
    for (Client c : clients) {
      synchronized (c) {
        all.add(c.latency);
        measured += c.measured;
        total += c.total;
        gaps += c.gaps;
        droppedNotices += c.droppedNotices;
        droppedCount += c.droppedCount;
        errors += c.errors;
        closed += c.closeCode != null ? 1 : 0;
        minPerClient = Math.min(minPerClient, c.measured);
        maxPerClient = Math.max(maxPerClient, c.measured);
      }
    }
    Histogram complete = new Histogram(HIGHEST_US, 3);
    Histogram spread = new Histogram(HIGHEST_US, 3);
    int incomplete = 0;
    for (long[] e : run.events.values()) {
      if (e[3] < clients.size()) {
        incomplete++;
        continue;
      }
      complete.recordValue(Math.min(HIGHEST_US, Math.max(0, e[2] - e[0])));
      spread.recordValue(Math.min(HIGHEST_US, e[2] - e[1]));
    }
    JsonObject out = new JsonObject().put("target", target).put("subscribers", clients.size()).put("duration_s", durationS)
        .put("events", run.events.size()).put("events_per_s", run.events.size() / (double) durationS)
        .put("messages_measured", measured).put("messages_total", total)
        .put("per_client_per_s", measured / (double) clients.size() / durationS)
        .put("per_client_min", minPerClient).put("per_client_max", maxPerClient)
        .put("seq_gaps", gaps).put("dropped_notices", droppedNotices).put("dropped_count", droppedCount).put("error_frames", errors)
        .put("closed_early", closed).put("events_not_seen_by_all", incomplete)
        .put("latency_us", percentiles(all)).put("all_received_us", percentiles(complete)).put("spread_us", percentiles(spread));
    log("%s: %s", target, out.encode());
    return out;
  }

  static JsonObject percentiles(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("p50", h.getValueAtPercentile(50)).put("p90", h.getValueAtPercentile(90))
        .put("p99", h.getValueAtPercentile(99)).put("max", h.getMaxValue()).put("mean", h.getMean());
  }

  private void closeAll(List<Client> clients) {
    for (Client c : clients) {
      if (c.ws != null && !c.ws.isClosed()) {
        c.ws.close();
      }
    }
  }

  // ---- gateway --------------------------------------------------------------------------------

  private void gateway() throws Exception {
    int port = Integer.parseInt(require(args, "port"));
    int subscribers = intArg(args, "subscribers", 100);
    rest = new GatewayRest(port);
    String token = rest.login(require(args, "password"));
    JsonObject restart = new JsonObject().put("policy", "always").put("max_restarts", 1000).put("window_s", 1)
        .put("backoff_initial_ms", 10).put("backoff_max_ms", 10).put("backoff_multiplier", 1);
    JsonArray command = new JsonArray().add("sh").add("-c").add("exit 1");
    rest.call("POST", "/api/v1/bots", new JsonObject().put("id", "ws-crasher").put("command", command).put("restart", restart), 201);

    Vertx vertx = Vertx.vertx();
    Run run = new Run();
    Frame parser = (client, frame) -> {
      if (!"status".equals(frame.getString("type"))) {
        return null;
      }
      JsonObject data = frame.getJsonObject("data");
      String time = data.getString("time");
      String status = data.getString("status");
      if (run.windowStartUs != Long.MAX_VALUE && client.index == 0) {
        run.statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      }
      return new Object[] {data.getString("bot_id") + "|" + time + "|" + status + "|" + data.getValue("version"), micros(Instant.parse(time)),
          frame.getLong("seq")};
    };
    List<Client> clients = connect(vertx, run, port, "/ws/events", List.of("codex32.v1", "codex32.bearer." + token),
        new JsonObject().put("op", "subscribe").put("topics", new JsonArray().add("bots")), parser, subscribers);
    rest.call("POST", "/api/v1/bots/ws-crasher/start", null, 202);
    JsonObject out = measure(vertx, run, clients, "gateway");
    // close the clients while events still flow (as real clients leave), then stop the bot
    closeAll(clients);
    Thread.sleep(1000);
    rest.call("POST", "/api/v1/bots/ws-crasher/stop", null, 202);
    JsonObject bot = new JsonObject();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      bot = rest.call("GET", "/api/v1/bots/ws-crasher", null, 200);
      if ("stopped".equals(bot.getString("status")) || "failed".equals(bot.getString("status"))) {
        break;
      }
      Thread.sleep(50);
    }
    JsonObject statuses = new JsonObject();
    run.statuses.forEach((k, v) -> statuses.put(k, v.get()));
    out.put("statuses_seen_by_client_0", statuses).put("bot_after", new JsonObject().put("status", bot.getValue("status"))
        .put("restarts", bot.getValue("restarts"))).put("bot_restart", restart).put("bot_command", command);
    Files.writeString(Path.of(require(args, "out")), out.encodePrettily());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  // ---- reference client -----------------------------------------------------------------------

  private void ref() throws Exception {
    int port = Integer.parseInt(require(args, "port"));
    int subscribers = intArg(args, "subscribers", 100);
    Vertx vertx = Vertx.vertx();
    Run run = new Run();
    Frame parser = (client, frame) -> {
      if (!"tick".equals(frame.getString("type"))) {
        return null;
      }
      long seq = frame.getLong("seq");
      return new Object[] {Long.toString(seq), micros(Instant.parse(frame.getString("time"))), seq};
    };
    List<Client> clients = connect(vertx, run, port, "/ws", List.of(), null, parser, subscribers);
    JsonObject out = measure(vertx, run, clients, "reference");
    out.put("rate_set", Double.parseDouble(args.getOrDefault("rate", "0")));
    closeAll(clients);
    Files.writeString(Path.of(require(args, "out")), out.encodePrettily());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  // ---- reference server -----------------------------------------------------------------------

  static final String REF_ADDRESS = "ref.events";

  /** One per event loop: accepts sockets and writes every bus message to each of its own. */
  static final class Broadcaster extends AbstractVerticle {
    private final Set<ServerWebSocket> sockets = new LinkedHashSet<>();

    @Override
    public void start(Promise<Void> started) {
      vertx.eventBus().<String>consumer(REF_ADDRESS, message -> {
        String text = message.body();
        for (ServerWebSocket ws : List.copyOf(sockets)) {
          // a socket the client has closed throws on writeQueueFull() until its close handler has run
          if (!ws.isClosed() && !ws.writeQueueFull()) {
            ws.writeTextMessage(text);
          }
        }
      }).completion().compose(v -> vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(config().getInteger("port")))
          .webSocketHandler(ws -> {
            if (!"/ws".equals(ws.path())) {
              ws.close((short) 1008, "unknown path");
              return;
            }
            sockets.add(ws);
            ws.closeHandler(x -> sockets.remove(ws));
          })
          .requestHandler(req -> req.response().setStatusCode("/health/ready".equals(req.path()) ? 200 : 404).end())
          .listen()).onComplete(r -> started.handle(r.mapEmpty()));
    }
  }

  /** Publishes {@code rate} messages a second: a 1 ms timer adds rate/1000 credit and sends whole units. */
  static final class Source extends AbstractVerticle {
    @Override
    public void start() {
      double rate = config().getDouble("rate");
      long[] seq = {0};
      double[] credit = {0};
      long[] last = {System.nanoTime()};
      vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        credit[0] += rate * (now - last[0]) / 1e9;
        last[0] = now;
        while (credit[0] >= 1) {
          credit[0] -= 1;
          String text = new JsonObject().put("type", "tick").put("seq", seq[0]++).put("time", Instant.now().toString()).encode();
          vertx.eventBus().publish(REF_ADDRESS, text);
        }
      });
    }
  }

  private void refServer() throws Exception {
    Path dir = Path.of(require(args, "dir"));
    Files.createDirectories(dir);
    int instances = intArg(args, "instances", Runtime.getRuntime().availableProcessors());
    double rate = Double.parseDouble(require(args, "rate"));
    Vertx vertx = Vertx.vertx();
    // the first instance binds port 0; the others share the port it got
    io.vertx.core.http.HttpServer probe = vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(0))
        .requestHandler(r -> r.response().end());
    int port = probe.listen().await(10, TimeUnit.SECONDS).actualPort();
    probe.close().await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(Broadcaster::new, new DeploymentOptions().setInstances(instances).setConfig(new JsonObject().put("port", port)))
        .await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new Source(), new DeploymentOptions().setConfig(new JsonObject().put("rate", rate))).await(10, TimeUnit.SECONDS);
    Files.writeString(dir.resolve("ports.json"), new JsonObject().put("http", port).encode());
    System.err.printf(Locale.ROOT, "ws-ref: %d broadcaster instances on %s:%d, %.1f messages/s%n", instances, HOST, port, rate);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopping anyway
      }
    }));
  }

  // ---- report ---------------------------------------------------------------------------------

  private void report() throws IOException {
    JsonObject gw = new JsonObject(Files.readString(Path.of(require(args, "gateway-json"))));
    JsonObject ref = new JsonObject(Files.readString(Path.of(require(args, "ref-json"))));
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%d subscribers per target, one load-generator JVM; %d s warm-up, then events published during %d s measured. "
        + "Latency = client receive − event publish time, in ms; one sample per message per client.%n%n",
        gw.getInteger("subscribers"), intArg(args, "warmup-s", 5), gw.getInteger("duration_s")));
    md.append("| target | subscribers | events/s | msgs/s per client | messages | p50 | p90 | p99 | max | all 100 received p50 / p99 | seq gaps | dropped notices | closed |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    md.append(row("Codex-32 gateway `/ws/events`, topic `bots`", gw));
    md.append(row("bare Vert.x broadcaster", ref));
    md.append('\n');
    md.append(String.format(Locale.ROOT, "Messages per client in the window: gateway %d–%d, reference %d–%d. Events not seen by every client: "
        + "gateway %d, reference %d. Error frames: gateway %d. Status events seen (client 0, window): %s. "
        + "The bot after the stop: `%s`, restarts %s. Reference rate set: %.1f events/s (the gateway's measured rate).%n",
        gw.getLong("per_client_min"), gw.getLong("per_client_max"), ref.getLong("per_client_min"), ref.getLong("per_client_max"),
        gw.getInteger("events_not_seen_by_all"), ref.getInteger("events_not_seen_by_all"), gw.getLong("error_frames"),
        gw.getJsonObject("statuses_seen_by_client_0").encode(), gw.getJsonObject("bot_after").getValue("status"),
        gw.getJsonObject("bot_after").getValue("restarts"), ref.getDouble("rate_set")));
    System.out.print(md);
  }

  private static String ms(long us) {
    return String.format(Locale.ROOT, "%.2f", us / 1000.0);
  }

  private static String row(String name, JsonObject r) {
    JsonObject l = r.getJsonObject("latency_us");
    JsonObject all = r.getJsonObject("all_received_us");
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %d | %s | %s | %s | %s | %s / %s | %d | %d | %d |%n", name,
        r.getInteger("subscribers"), r.getDouble("events_per_s"), r.getDouble("per_client_per_s"), r.getLong("messages_measured"),
        ms(l.getLong("p50")), ms(l.getLong("p90")), ms(l.getLong("p99")), ms(l.getLong("max")), ms(all.getLong("p50")), ms(all.getLong("p99")),
        r.getLong("seq_gaps"), r.getLong("dropped_notices"), r.getLong("closed_early"));
  }
}
