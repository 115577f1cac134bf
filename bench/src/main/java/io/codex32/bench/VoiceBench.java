package io.codex32.bench;

import io.codex32.chat.intent.IntentCatalog;
import io.codex32.config.ConfigLoader;
import io.codex32.config.GatewayConfig;
import io.codex32.metrics.VertxFactory;
import io.codex32.runtime.GatewayRuntime;
import io.codex32.voice.PocketsphinxEngine;
import io.codex32.voice.SpeechEngine;
import io.codex32.voice.Vocabulary;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Chat and voice benchmark (see docs/benchmarks.md, "Chat and voice"); driven by bench/voice.sh.
 * One JVM holds a real gateway (the jar's wiring and default settings, {@code voice.engine}
 * {@code pocketsphinx}, HTTP on a free loopback port, a fresh data directory) and the clients, so
 * every time is one {@link System#nanoTime()} clock.
 * <ol>
 *   <li>Recognition: ten espeak-ng sentences (en-us, converted by sox to 16 kHz mono s16le) naming
 *   six bots created in the gateway, each decoded {@code rounds} times on every path, the paths
 *   interleaved: {@code pocketsphinx_continuous -infile <file.raw>} run directly with the arguments
 *   {@link PocketsphinxEngine} uses and the grammar the gateway builds from the same names (checked
 *   byte for byte against the gateway's own grammar file), from process start to exit;
 *   {@link SpeechEngine#transcribe} of the engine class in this JVM; and {@code /ws/command/admin}
 *   with the audio in frames of {@code frame-bytes} sent as fast as possible, from
 *   {@code audio_start} to the {@code transcript} frame; in the first {@code paced-rounds} rounds
 *   also the same with the frames sent at real-time pace. The recognised texts must be identical on
 *   every path.</li>
 *   <li>Text round trips, one at a time, interleaved one for one: {@code {"type":"message"}} to its
 *   reply frame, and {@code {"type":"ping"}} to {@code pong} as the floor, over {@code text-sockets}
 *   WebSockets used in turn (a socket takes at most 5 text frames a second, so each is used at most
 *   4.5 times a second); {@code POST /api/v1/chat} and {@code GET /health} as its floor on one
 *   keep-alive connection. The utterance is a read-only intent ({@code bot_status}).</li>
 * </ol>
 * Arguments ({@code --name=value}): {@code data-dir}, {@code work-dir} (audio, grammar, engine logs)
 * and {@code out} (the Markdown report); optionally {@code rounds} (3), {@code paced-rounds} (1),
 * {@code frame-bytes} (8192), {@code text-ops} (800), {@code text-warmup} (200), {@code text-sockets}
 * (16), {@code max-s} (bound on both measured phases together, 300) and {@code pocketsphinx}
 * (the command, {@code pocketsphinx_continuous}).
 */
public final class VoiceBench {

  /** The bots the sentences name: id and display name. */
  private static final List<List<String>> BOTS = List.of(List.of("weather-station", "Weather Station"), List.of("pump2", "Pump 2"),
      List.of("garden-lights", "Garden Lights"), List.of("water-heater", "Water Heater"), List.of("front-door", "Front Door"),
      List.of("solar-panel", "Solar Panel"));
  private static final List<String> SENTENCES = List.of("start the weather station", "stop the pump two",
      "status of the garden lights", "restart the water heater", "show the logs of the front door", "how is the solar panel doing",
      "is the weather station running", "what is the status of pump two", "list running bots", "launch the garden lights");
  private static final String TEXT_UTTERANCE = "status of weather station";
  private static final String USER = "admin";
  private static final int SAMPLE_RATE = SpeechEngine.SAMPLE_RATE;
  private static final int BYTES_PER_S = SAMPLE_RATE * 2;
  /** Text frames a chat socket accepts per second (ChatConnection: 5, bursts of 10); the bench stays under it. */
  private static final double SOCKET_FRAMES_PER_S = 4.5;
  private static final long FRAME_TIMEOUT_MS = 30_000;
  private static final long TEXT_TIMEOUT_MS = 5_000;
  private static final long CHILD_TIMEOUT_S = 30;
  private static final int MAX_OUTPUT_BYTES = 64 * 1024;
  private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
  /** PocketSphinx's own time for the grammar search of a run, in its log: "TOTAL fsg 0.04 wall 0.028 xRT". */
  private static final Pattern SEARCH_WALL = Pattern.compile("TOTAL fsg ([0-9.]+) wall");

  private final Map<String, String> args;
  private final Path workDir;
  private final GatewayConfig config;
  private final int port;
  private final String password;
  private final long deadline;
  private final StringBuilder report = new StringBuilder();

  private VoiceBench(Map<String, String> args, GatewayConfig config, int port, String password) {
    this.args = args;
    this.workDir = Path.of(BenchSupport.require(args, "work-dir"));
    this.config = config;
    this.port = port;
    this.password = password;
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BenchSupport.intArg(args, "max-s", 300));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchSupport.parseArgs(argv, 0);
    Path out = Path.of(BenchSupport.require(args, "out"));
    String password = "bench-" + UUID.randomUUID();
    GatewayConfig config = GatewayConfig.from(ConfigLoader.load(GatewayConfig.DEFAULTS, List.of(), Map.of(
        "CODEX32_HTTP_PORT", "0",
        "CODEX32_HTTP_HOST", "127.0.0.1",
        "CODEX32_MQTT_PORT", "0",
        "CODEX32_MQTT_HOST", "127.0.0.1",
        "CODEX32_DATA_DIR", BenchSupport.require(args, "data-dir"),
        "CODEX32_ADMIN_PASSWORD", password,
        "CODEX32_VOICE_ENGINE", PocketsphinxEngine.NAME,
        "CODEX32_VOICE_POCKETSPHINX_COMMAND", args.getOrDefault("pocketsphinx", "pocketsphinx_continuous"))));
    log("starting the gateway");
    Vertx vertx = VertxFactory.create(new VertxOptions());
    Vertx client = Vertx.vertx();
    GatewayRuntime runtime = null;
    int status = 0;
    try {
      runtime = GatewayRuntime.start(vertx, config).await(60, TimeUnit.SECONDS);
      VoiceBench bench = new VoiceBench(args, config, runtime.httpPort(), password);
      bench.run(client);
      Files.writeString(out, bench.report);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      client.close().await(30, TimeUnit.SECONDS);
      if (runtime != null) {
        runtime.close().await(30, TimeUnit.SECONDS);
      }
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    System.exit(status);
  }

  private static void log(String format, Object... values) {
    System.err.println("voice-bench: " + String.format(Locale.ROOT, format, values));
  }

  private void run(Vertx client) throws Exception {
    GatewayRest rest = new GatewayRest(port);
    String token = rest.login(password);
    for (List<String> bot : BOTS) {
      rest.call("POST", "/api/v1/bots", new JsonObject().put("id", bot.get(0)).put("name", bot.get(1))
          .put("command", new JsonArray().add("sleep").add("100000")), 201);
    }
    List<Recording> recordings = synthesise();
    PocketsphinxEngine engine = PocketsphinxEngine.debian(pocketsphinx());
    try {
      recognition(client, token, rest, engine, recordings);
    } finally {
      engine.close();
    }
    text(client, token);
  }

  private String pocketsphinx() {
    return args.getOrDefault("pocketsphinx", "pocketsphinx_continuous");
  }

  // ---- audio ---------------------------------------------------------------------------------------

  /** A sentence as 16 kHz mono s16le PCM: the raw file the direct path reads, and its bytes. */
  private record Recording(int index, String said, Path raw, byte[] pcm) {

    double seconds() {
      return pcm.length / (double) BYTES_PER_S;
    }
  }

  private List<Recording> synthesise() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("audio"));
    List<Recording> recordings = new ArrayList<>();
    for (int i = 0; i < SENTENCES.size(); i++) {
      Path wav = dir.resolve(i + ".wav");
      Path raw = dir.resolve(i + ".raw");
      child(List.of("espeak-ng", "-v", "en-us", "-w", wav.toString(), SENTENCES.get(i)), dir.resolve("espeak.log"));
      child(List.of("sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw",
          raw.toString()), dir.resolve("sox.log"));
      recordings.add(new Recording(i, SENTENCES.get(i), raw, Files.readAllBytes(raw)));
    }
    log("synthesised %d sentences, %.1f s of audio in all", recordings.size(),
        recordings.stream().mapToDouble(Recording::seconds).sum());
    return recordings;
  }

  /** Runs a command to its end (bounded), failing unless it exits with 0; returns its standard output. */
  private static String child(List<String> command, Path stderr) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    process.getOutputStream().close();
    String out = readBounded(process.getInputStream());
    if (!process.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish within " + CHILD_TIMEOUT_S + " s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
          + Files.readString(stderr).strip());
    }
    return out;
  }

  private static String readBounded(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > MAX_OUTPUT_BYTES) {
          throw new IllegalStateException("a child printed more than " + MAX_OUTPUT_BYTES + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  // ---- 1. recognition ------------------------------------------------------------------------------

  /**
   * One decode of one recording on one path; {@code openNs} ({@code audio_start} → {@code audio_started}),
   * {@code afterEndNs} and {@code serverMs} only over the WebSocket, {@code searchNs} (the engine's own
   * "TOTAL fsg ... wall", to 10 ms) only on the direct path; -1 elsewhere.
   */
  private record Decode(Route path, Recording recording, int round, long ns, long openNs, long afterEndNs, long serverMs,
                        long searchNs, String text) {
  }

  private enum Route {
    DIRECT("`pocketsphinx_continuous -infile` directly: process start → exit"),
    ENGINE("`PocketsphinxEngine.transcribe` in the harness (stdin pipe, 0.1 s chunks)"),
    WS_FAST("WebSocket, audio as fast as possible: `audio_start` → `transcript`"),
    WS_PACED("WebSocket, audio at real-time pace: `audio_start` → `transcript`");

    final String label;

    Route(String label) {
      this.label = label;
    }
  }

  private void recognition(Vertx client, String token, GatewayRest rest, PocketsphinxEngine engine, List<Recording> recordings)
      throws Exception {
    Vocabulary vocabulary = vocabulary(rest);
    Set<String> known = engine.knownWords();
    String jsgf = vocabulary.jsgf(known::contains);
    Path grammar = workDir.resolve("grammar.jsgf");
    Files.writeString(grammar, jsgf, StandardCharsets.UTF_8);
    int rounds = BenchSupport.intArg(args, "rounds", 3);
    int pacedRounds = Math.min(rounds, BenchSupport.intArg(args, "paced-rounds", 1));
    int frameBytes = BenchSupport.intArg(args, "frame-bytes", 8192);
    ChatSocket socket = ChatSocket.open(client, port, token, USER);
    Decoder decoder = new Decoder(socket, engine, vocabulary, grammar, frameBytes, pocketsphinx());

    log("warm-up: one decode per path");
    Recording first = recordings.get(0);
    decoder.decode(Route.WS_FAST, first, -1);
    String gatewayGrammar = gatewayGrammar();
    boolean sameGrammar = jsgf.equals(gatewayGrammar);
    if (!sameGrammar) {
      Files.writeString(workDir.resolve("gateway-grammar.jsgf"), gatewayGrammar == null ? "" : gatewayGrammar);
      log("the grammar built here differs from the gateway's (both kept in %s)", workDir);
    }
    decoder.decode(Route.DIRECT, first, -1);
    decoder.decode(Route.ENGINE, first, -1);
    decoder.decode(Route.WS_PACED, first, -1);

    log("recognition: %d rounds of %d sentences (%d with real-time pace), paths interleaved", rounds, recordings.size(), pacedRounds);
    long[] machineBefore = BenchSupport.machineTicks();
    List<Decode> decodes = new ArrayList<>();
    boolean bounded = false;
    for (int round = 0; round < rounds && !bounded; round++) {
      for (Recording recording : recordings) {
        if (System.nanoTime() > deadline) {
          bounded = true;
          break;
        }
        List<Route> paths = new ArrayList<>(List.of(Route.DIRECT, Route.ENGINE, Route.WS_FAST));
        if (round < pacedRounds) {
          paths.add(Route.WS_PACED);
        }
        // each path goes first as often as the others: no path always runs on a cache another just warmed
        Collections.rotate(paths, round + recording.index());
        for (Route path : paths) {
          decodes.add(decoder.decode(path, recording, round));
        }
      }
    }
    double busy = busyCores(machineBefore);
    socket.close();
    recognitionReport(vocabulary, jsgf, sameGrammar, recordings, decodes, rounds, pacedRounds, frameBytes, busy, bounded);
  }

  /** What the gateway's ChatService#vocabulary makes of the live names: Names#spoken, rebuilt from the REST API. */
  private Vocabulary vocabulary(GatewayRest rest) throws Exception {
    List<String> bots = new ArrayList<>();
    for (Object item : rest.call("GET", "/api/v1/bots?limit=500", null, 200).getJsonArray("items")) {
      JsonObject bot = (JsonObject) item;
      bots.add(bot.getString("id"));
      bots.add(bot.getString("name"));
    }
    List<String> devices = new ArrayList<>();
    for (Object item : rest.call("GET", "/api/v1/devices", null, 200).getJsonArray("items")) {
      devices.add(((JsonObject) item).getString("id"));
      devices.add(((JsonObject) item).getString("name"));
    }
    List<String> nodes = new ArrayList<>();
    for (Object item : rest.call("GET", "/api/v1/nodes", null, 200).getJsonArray("items")) {
      nodes.add(((JsonObject) item).getString("id"));
      nodes.add(((JsonObject) item).getString("hostname"));
    }
    // as Names#spoken: bots, devices, nodes, pins (the gateway's node has no GPIO here), workflows (none), commands
    Map<String, List<String>> slots = new LinkedHashMap<>();
    slots.put("bot", spokenForms(bots));
    slots.put("device", spokenForms(devices));
    slots.put("node", spokenForms(nodes));
    slots.put("pin", List.of());
    slots.put("workflow", List.of());
    slots.put("command", List.of("reboot", "restart", "reset", "on", "off", "open", "close", "start", "stop", "ping", "status", "update"));
    slots.put("target", slots.values().stream().flatMap(List::stream).distinct().toList());
    IntentCatalog catalog = config.chat().catalog();
    return catalog.vocabulary(slots);
  }

  private static List<String> spokenForms(List<String> names) {
    return names.stream().filter(s -> s != null && !s.isBlank()).map(IntentCatalog::spoken).filter(s -> !s.isBlank()).distinct()
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /** The grammar file the gateway's engine wrote (in this JVM's temporary directory), or null unless there is exactly one. */
  private static String gatewayGrammar() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> files;
    try (Stream<Path> dirs = Files.list(tmp)) {
      files = dirs.filter(d -> d.getFileName().toString().startsWith("codex32-pocketsphinx-")).flatMap(d -> {
        try (Stream<Path> inside = Files.list(d)) {
          return inside.filter(f -> f.getFileName().toString().endsWith(".jsgf")).toList().stream();
        } catch (IOException e) {
          return Stream.empty();
        }
      }).toList();
    }
    return files.size() == 1 ? Files.readString(files.get(0), StandardCharsets.UTF_8) : null;
  }

  /** Decodes a recording on one path. */
  private static final class Decoder {

    private final ChatSocket socket;
    private final PocketsphinxEngine engine;
    private final Vocabulary vocabulary;
    private final Path grammar;
    private final int frameBytes;
    private final String command;

    Decoder(ChatSocket socket, PocketsphinxEngine engine, Vocabulary vocabulary, Path grammar, int frameBytes, String command) {
      this.socket = socket;
      this.engine = engine;
      this.vocabulary = vocabulary;
      this.grammar = grammar;
      this.frameBytes = frameBytes;
      this.command = executable(command);
    }

    Decode decode(Route path, Recording recording, int round) throws Exception {
      switch (path) {
        case DIRECT:
          return direct(recording, round);
        case ENGINE: {
          long start = System.nanoTime();
          String text = engine.transcribe(vocabulary, SAMPLE_RATE, recording.pcm());
          return new Decode(path, recording, round, System.nanoTime() - start, -1, -1, -1, -1, text);
        }
        default:
          return socket(path, recording, round);
      }
    }

    /** The arguments PocketsphinxEngine#open uses, with the recording's file instead of /dev/stdin; stderr to a file as there. */
    private Decode direct(Recording recording, int round) throws Exception {
      List<String> argv = List.of(command, "-infile", recording.raw().toString(), "-samprate", Integer.toString(SAMPLE_RATE),
          "-hmm", PocketsphinxEngine.DEBIAN_MODEL.toString(), "-dict", PocketsphinxEngine.DEBIAN_DICTIONARY.toString(),
          "-jsgf", grammar.toString(), "-fsgusealtpron", "no");
      File log = grammar.resolveSibling("direct.log").toFile();
      long start = System.nanoTime();
      Process process = new ProcessBuilder(argv).redirectError(log).start();
      process.getOutputStream().close();
      String out = readBounded(process.getInputStream());
      boolean exited = process.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS);
      long end = System.nanoTime();
      if (!exited) {
        process.destroyForcibly();
        throw new IllegalStateException("pocketsphinx_continuous did not finish within " + CHILD_TIMEOUT_S + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("pocketsphinx_continuous exited with " + process.exitValue() + "; its log: " + log);
      }
      // as PocketsphinxEngine reads it: one hypothesis per line, blank lines skipped, joined with spaces
      String text = Arrays.stream(out.split("\n")).map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty())
          .collect(Collectors.joining(" "));
      Matcher search = SEARCH_WALL.matcher(Files.readString(log.toPath()));
      long searchNs = search.find() ? Math.round(Double.parseDouble(search.group(1)) * 1e9) : -1;
      return new Decode(Route.DIRECT, recording, round, end - start, -1, -1, -1, searchNs, text);
    }

    private Decode socket(Route path, Recording recording, int round) throws Exception {
      // audio_start and audio_end are text frames: stay under the socket's 5 a second
      sleepUntil(socket.nextAllowed);
      byte[] pcm = recording.pcm();
      long start = socket.send(new JsonObject().put("type", "audio_start").put("sample_rate", SAMPLE_RATE));
      socket.nextAllowed = start + (long) (2 * 1e9 / SOCKET_FRAMES_PER_S);
      for (int from = 0; from < pcm.length; from += frameBytes) {
        int to = Math.min(pcm.length, from + frameBytes);
        if (path == Route.WS_PACED) {
          // a microphone delivers a frame once its last sample has been captured
          sleepUntil(start + (long) (to / (double) BYTES_PER_S * 1e9));
        }
        socket.sendBinary(Arrays.copyOfRange(pcm, from, to));
      }
      long end = socket.send(new JsonObject().put("type", "audio_end"));
      ChatSocket.Frame started = socket.await("audio_started", FRAME_TIMEOUT_MS);
      ChatSocket.Frame transcript = socket.await("transcript", FRAME_TIMEOUT_MS);
      socket.await("reply", FRAME_TIMEOUT_MS);
      if (socket.pending() > 0) {
        throw new IllegalStateException(socket.pending() + " unexpected frames after an utterance's reply");
      }
      JsonObject json = transcript.json();
      return new Decode(path, recording, round, transcript.at() - start, started.at() - start, transcript.at() - end,
          json.getLong("decode_ms", -1L), -1, json.getString("text", ""));
    }

    private static String executable(String command) {
      if (command.contains("/")) {
        return command;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
        Path candidate = Path.of(dir, command);
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
      throw new IllegalStateException(command + " is not on the PATH");
    }
  }

  private void recognitionReport(Vocabulary vocabulary, String jsgf, boolean sameGrammar, List<Recording> recordings,
      List<Decode> decodes, int rounds, int pacedRounds, int frameBytes, double busy, boolean bounded) {
    int values = vocabulary.slots().values().stream().mapToInt(List::size).sum();
    report.append(String.format(Locale.ROOT, "### Recognition%n%n%d espeak-ng sentences (en-us, sox → 16 kHz mono s16le, %.1f–%.1f s),"
        + " %d rounds on every path, paths interleaved (real-time pace in the first %d round(s)); WebSocket audio in frames of %d"
        + " bytes (%.0f ms). Grammar: %d sentences, %d slot values, %d characters; identical to the gateway's own grammar file: %s."
        + " Whole machine busy over the phase: %.2f cores.%s%n%n",
        recordings.size(), recordings.stream().mapToDouble(Recording::seconds).min().orElse(0),
        recordings.stream().mapToDouble(Recording::seconds).max().orElse(0), rounds, pacedRounds, frameBytes,
        frameBytes * 1000.0 / BYTES_PER_S, vocabulary.sentences().size(), values, jsgf.length(), sameGrammar ? "yes" : "**no**", busy,
        bounded ? " **The time bound cut the phase short.**" : ""));
    report.append("| Path | n | decode p50 | decode p90 | RTF p50 | RTF p90 | p50 / direct | median of paired ratios |\n");
    report.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Decode> directs = decodes.stream().filter(d -> d.path() == Route.DIRECT)
        .collect(Collectors.toMap(d -> d.round() + "/" + d.recording().index(), Function.identity()));
    double directP50 = percentile(times(decodes, Route.DIRECT, Decode::ns), 50);
    for (Route path : Route.values()) {
      List<Long> ns = times(decodes, path, Decode::ns);
      if (ns.isEmpty()) {
        continue;
      }
      List<Double> rtf = decodes.stream().filter(d -> d.path() == path).map(d -> d.ns() / 1e9 / d.recording().seconds()).toList();
      List<Double> paired = decodes.stream().filter(d -> d.path() == path)
          .map(d -> d.ns() / (double) directs.get(d.round() + "/" + d.recording().index()).ns()).toList();
      report.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.3f | %.3f | %.2f× | %.2f× |%n", path.label, ns.size(),
          ms(percentile(ns, 50)), ms(percentile(ns, 90)), percentileD(rtf, 50), percentileD(rtf, 90),
          percentile(ns, 50) / directP50, percentileD(paired, 50)));
    }
    report.append('\n');
    List<Long> search = times(decodes, Route.DIRECT, Decode::searchNs).stream().filter(ns -> ns >= 0).toList();
    report.append(String.format(Locale.ROOT, "Of the direct run, PocketSphinx's own grammar search (its log's `TOTAL fsg ... wall`,"
        + " to 10 ms) p50 %s, p90 %s; the rest is starting the process and loading the model, dictionary and grammar.%n",
        ms(percentile(search, 50)), ms(percentile(search, 90))));
    for (Route path : List.of(Route.WS_FAST, Route.WS_PACED)) {
      List<Long> after = times(decodes, path, Decode::afterEndNs);
      List<Long> server = times(decodes, path, d -> d.serverMs() * 1_000_000);
      if (!after.isEmpty()) {
        List<Long> open = times(decodes, path, Decode::openNs);
        report.append(String.format(Locale.ROOT, "%s: `audio_start` → `audio_started` (vocabulary, session opened, process"
            + " started) p50 %s, p90 %s; `audio_end` → `transcript` p50 %s, p90 %s; the transcript's `decode_ms` (the node's"
            + " `finish`) p50 %s, p90 %s.%n", path == Route.WS_FAST ? "As fast as possible" : "At real-time pace",
            ms(percentile(open, 50)), ms(percentile(open, 90)), ms(percentile(after, 50)), ms(percentile(after, 90)),
            ms(percentile(server, 50)), ms(percentile(server, 90))));
      }
    }
    report.append('\n');
    // identical texts: every decode of a recording in a round against the direct one
    List<String> differences = new ArrayList<>();
    for (Decode d : decodes) {
      Decode direct = directs.get(d.round() + "/" + d.recording().index());
      if (d.path() != Route.DIRECT && !d.text().equals(direct.text())) {
        differences.add(String.format(Locale.ROOT, "round %d, sentence %d: direct \"%s\", %s \"%s\"", d.round() + 1,
            d.recording().index() + 1, direct.text(), d.path().name().toLowerCase(Locale.ROOT), d.text()));
      }
    }
    long compared = decodes.stream().filter(d -> d.path() != Route.DIRECT).count();
    report.append(String.format(Locale.ROOT, "Recognised texts identical to the direct run's: %d of %d decodes%s%n%n",
        compared - differences.size(), compared, differences.isEmpty() ? "." : "; differences:"));
    differences.forEach(line -> report.append("- ").append(line).append('\n'));
    if (!differences.isEmpty()) {
      report.append('\n');
    }
    report.append("| # | said | audio | recognised (direct, round 1) | as said |\n|---:|---|---:|---|---|\n");
    for (Recording r : recordings) {
      Decode direct = directs.get("0/" + r.index());
      String heard = direct == null ? "—" : direct.text();
      report.append(String.format(Locale.ROOT, "| %d | %s | %.2f s | %s | %s |%n", r.index() + 1, r.said(), r.seconds(), heard,
          heard.equals(r.said()) ? "yes" : "no"));
    }
    report.append('\n');
  }

  // ---- 2. text round trips -------------------------------------------------------------------------

  private void text(Vertx client, String token) throws Exception {
    int ops = BenchSupport.intArg(args, "text-ops", 800);
    int warmup = BenchSupport.intArg(args, "text-warmup", 200);
    int socketCount = BenchSupport.intArg(args, "text-sockets", 16);
    List<ChatSocket> sockets = new ArrayList<>();
    for (int i = 0; i < socketCount; i++) {
      sockets.add(ChatSocket.open(client, port, token, USER));
    }
    WebClient http = WebClient.create(client, new WebClientOptions().setDefaultHost(ClosedLoop.HOST).setDefaultPort(port)
        .setKeepAlive(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(1));
    Samples wsChat = new Samples("WebSocket `message` → `reply`");
    Samples wsPing = new Samples("floor: WebSocket `ping` → `pong`");
    Samples httpChat = new Samples("`POST /api/v1/chat` → 200");
    Samples httpHealth = new Samples("floor: `GET /health` → 200");
    JsonObject message = new JsonObject().put("type", "message").put("text", TEXT_UTTERANCE);
    JsonObject ping = new JsonObject().put("type", "ping");
    log("text: %d warm-up and %d measured round trips per path, %d sockets in turn", warmup, ops, socketCount);
    long[] machineBefore = null;
    int done = 0;
    for (int i = 0; i < warmup + ops && System.nanoTime() < deadline; i++) {
      boolean measured = i >= warmup;
      if (i == warmup) {
        machineBefore = BenchSupport.machineTicks();
      }
      ChatSocket socket = sockets.get(i % socketCount);
      sleepUntil(socket.nextAllowed);
      long sent = socket.send(message);
      socket.nextAllowed = sent + (long) (2 * 1e9 / SOCKET_FRAMES_PER_S);
      ChatSocket.Frame reply = socket.await("reply", TEXT_TIMEOUT_MS);
      record(measured ? wsChat : null, reply.at() - sent, "bot_status".equals(reply.json().getString("intent")));
      sent = socket.send(ping);
      record(measured ? wsPing : null, socket.await("pong", TEXT_TIMEOUT_MS).at() - sent, true);
      long[] answer = httpCall(http.post("/api/v1/chat").bearerTokenAuthentication(token), new JsonObject().put("text", TEXT_UTTERANCE));
      record(measured ? httpChat : null, answer[0], answer[1] == 200 && answer[2] == 1);
      answer = httpCall(http.get("/health"), null);
      record(measured ? httpHealth : null, answer[0], answer[1] == 200);
      done += measured ? 1 : 0;
    }
    double busy = machineBefore == null ? 0 : busyCores(machineBefore);
    http.close();
    for (ChatSocket socket : sockets) {
      socket.close();
    }
    report.append(String.format(Locale.ROOT, "### Text round trips%n%n`%s` (intent `bot_status`, read-only), one at a time, the four paths"
        + " interleaved one for one; %d measured per path after %d of warm-up%s. WebSocket: %d `/ws/command/admin` sockets in turn,"
        + " each at most %.1f text frames a second (its limit is 5); HTTP: one keep-alive connection. Whole machine busy over the"
        + " measured part: %.2f cores.%n%n", TEXT_UTTERANCE, done, warmup, done < ops ? " (**the time bound cut it short**)" : "",
        socketCount, SOCKET_FRAMES_PER_S, busy));
    report.append("| Path | n | wrong | p50 | p90 | p99 | max | p50 − floor |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    report.append(wsChat.row(wsPing)).append(wsPing.row(null)).append(httpChat.row(httpHealth)).append(httpHealth.row(null));
    report.append("\n`wrong`: a reply that was not `bot_status` (WebSocket), not 200 or not `bot_status` (HTTP chat), not 200 (health).\n");
  }

  /** Sends and waits (bounded); {elapsed ns, status, 1 if the body's intent is bot_status}. */
  private static long[] httpCall(HttpRequest<Buffer> request, JsonObject body)
      throws Exception {
    CompletableFuture<long[]> answered = new CompletableFuture<>();
    long sent = System.nanoTime();
    (body == null ? request.send() : request.sendJsonObject(body)).onComplete(result -> {
      long now = System.nanoTime();
      if (result.failed()) {
        answered.complete(new long[] {now - sent, -1, 0});
        return;
      }
      int status = result.result().statusCode();
      boolean intent = body != null && status == 200 && "bot_status".equals(result.result().bodyAsJsonObject().getString("intent"));
      answered.complete(new long[] {now - sent, status, intent ? 1 : 0});
    });
    return answered.get(TEXT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static void record(Samples samples, long nanos, boolean right) {
    if (samples != null) {
      samples.record(nanos, right);
    }
  }

  /** One path's round trips (ns). */
  private static final class Samples {

    final String name;
    final Histogram histogram = new Histogram(HIGHEST_NS, 3);
    long wrong;

    Samples(String name) {
      this.name = name;
    }

    void record(long nanos, boolean right) {
      histogram.recordValue(Math.min(HIGHEST_NS, Math.max(0, nanos)));
      wrong += right ? 0 : 1;
    }

    String row(Samples floor) {
      return String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s |%n", name, histogram.getTotalCount(), wrong,
          us(histogram.getValueAtPercentile(50)), us(histogram.getValueAtPercentile(90)), us(histogram.getValueAtPercentile(99)),
          us(histogram.getMaxValue()),
          floor == null ? "—" : us(histogram.getValueAtPercentile(50) - floor.histogram.getValueAtPercentile(50)));
    }

    private static String us(long nanos) {
      return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6) : String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private static List<Long> times(List<Decode> decodes, Route path, Function<Decode, Long> value) {
    return decodes.stream().filter(d -> d.path() == path).map(value).sorted().toList();
  }

  /** Nearest-rank percentile of a sorted list. */
  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
  }

  private static double percentileD(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
  }

  private static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  private static double busyCores(long[] before) throws IOException {
    long[] after = BenchSupport.machineTicks();
    return (double) (after[0] - before[0]) / Math.max(1, after[1] - before[1]) * Runtime.getRuntime().availableProcessors();
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
