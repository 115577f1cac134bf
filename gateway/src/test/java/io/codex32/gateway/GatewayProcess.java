package io.codex32.gateway;

import io.codex32.test.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One gateway run as {@code java -jar <codex32.gateway.jar>}, the way operators run it: its own
 * environment, stdout and stderr captured to files under {@code target/it-logs/} (kept for
 * debugging), its port learned from {@code <data>/ports.json}. Tests start it through
 * {@link GatewayProcesses}, which closes it after the test; a JVM shutdown hook kills whatever is
 * still alive if the test JVM itself goes away.
 */
public final class GatewayProcess implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "it-admin-password-1";
  /** Java's exit value for a process ended by a signal is 128 + the signal number. */
  static final int EXIT_SIGKILL = 128 + 9;
  static final int EXIT_SIGTERM = 128 + 15;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger LAUNCHES = new AtomicInteger();
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final HttpClient HEALTH = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "it-gateway-reaper"));
  }

  private final String name;
  private final Path dataDir;
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private volatile int port = -1;

  private GatewayProcess(String name, Path dataDir, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.dataDir = dataDir;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The environment of a test gateway: any free ports on 127.0.0.1, fast bcrypt, known admin password. Mutable. */
  public static Map<String, String> env(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("CODEX32_HTTP_HOST", "127.0.0.1");
    env.put("CODEX32_HTTP_PORT", "0");
    env.put("CODEX32_MQTT_HOST", "127.0.0.1");
    env.put("CODEX32_MQTT_PORT", "0");
    env.put("CODEX32_DATA_DIR", dataDir.toAbsolutePath().toString());
    env.put("CODEX32_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("CODEX32_AUTH_BCRYPT_COST", "4");
    return env;
  }

  /** Starts a gateway on {@code dataDir} with the test environment and waits until it is ready. */
  static GatewayProcess start(String name, Path dataDir) {
    return start(name, dataDir, env(dataDir));
  }

  /** Starts with exactly {@code env} (plus no inherited {@code CODEX32_*}) and waits until it is ready. */
  public static GatewayProcess start(String name, Path dataDir, Map<String, String> env) {
    try {
      // A ports.json left by an earlier run would point at a dead port: only the new process may write it.
      Files.deleteIfExists(dataDir.resolve("ports.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GatewayProcess gateway = launch(name, dataDir, env, List.of());
    try {
      gateway.awaitReady();
    } catch (RuntimeException | AssertionError e) {
      gateway.close();
      throw e;
    }
    return gateway;
  }

  /** Starts the jar and returns at once, without waiting for anything. */
  static GatewayProcess launch(String name, Path dataDir, Map<String, String> env, List<String> args) {
    return launch(name, dataDir, env, args, null);
  }

  /** {@link #launch(String, Path, Map, List)} with stdin read from {@code stdin} (null: none). */
  static GatewayProcess launch(String name, Path dataDir, Map<String, String> env, List<String> args, Path stdin) {
    String jar = System.getProperty("codex32.gateway.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property codex32.gateway.jar must name the built jar, got " + jar);
    }
    Path logs = Path.of(jar).toAbsolutePath().getParent().resolve("it-logs");
    String fullName = String.format("%03d-%s", LAUNCHES.incrementAndGet(), name);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.toAbsolutePath().getParent().toFile())
        .redirectOutput(logs.resolve(fullName + ".stdout.log").toFile())
        .redirectError(logs.resolve(fullName + ".stderr.log").toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    // Nothing from the build's environment may change what the child does or prints ("Picked up JAVA_TOOL_OPTIONS").
    builder.environment().keySet().removeIf(key -> key.startsWith("CODEX32_"));
    builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logs);
      Process process = builder.start();
      LIVE.add(process);
      return new GatewayProcess(fullName, dataDir, process, logs.resolve(fullName + ".stdout.log"),
          logs.resolve(fullName + ".stderr.log"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Waits for a fresh {@code ports.json}, then for {@code GET /health/ready} to answer 200. */
  void awaitReady() {
    Path portsFile = dataDir.resolve("ports.json");
    port = await("ports.json of " + name, START_TIMEOUT, () -> readPort(portsFile));
    await("GET /health/ready = 200 from " + name, START_TIMEOUT, () -> healthStatus("/health/ready") == 200 ? Optional.of(true)
        : Optional.empty());
  }

  private Optional<Integer> readPort(Path portsFile) {
    try {
      return Optional.of(new JsonObject(Files.readString(portsFile)).getInteger("http"));
    } catch (IOException | RuntimeException notYet) {
      return Optional.empty();
    }
  }

  /** Status of a GET on this gateway, or -1 when nothing answers. */
  int healthStatus(String path) {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build();
    try {
      return HEALTH.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls {@code probe} until it yields a value; fails after {@code timeout}, or at once when the
   * process has exited (the probe cannot succeed any more), with the tail of its output.
   */
  <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
    Optional<T> value;
    try {
      value = Await.until(probe, v -> v.isPresent() || !process.isAlive(), what, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + diagnostics(), e);
    }
    return value.orElseThrow(() -> new AssertionError(
        "gave up waiting for " + what + ": the process exited with " + process.exitValue() + diagnostics()));
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is flushed. Returns the exit value (137). */
  int killHard() {
    process.toHandle().destroyForcibly();
    return awaitExit();
  }

  /** SIGTERM, then waits for the exit; returns the exit value (143 after the shutdown hooks ran). */
  public int stop() {
    process.destroy();
    return awaitExit();
  }

  /** Waits for the process to end by itself; fails after a deadline. */
  int awaitExit() {
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + EXIT_TIMEOUT + diagnostics());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    LIVE.remove(process);
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  public int port() {
    if (port < 0) {
      throw new IllegalStateException(name + " is not ready; its port is unknown");
    }
    return port;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public ApiClient api() {
    return new ApiClient(port());
  }

  public Path dataDir() {
    return dataDir;
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** The file stdout goes to (for a command such as {@code export}, its output). */
  Path stdoutFile() {
    return stdout;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String diagnostics() {
    String out = stdout();
    String err = stderr();
    return "\n--- stderr of " + name + " ---\n" + tail(err) + "\n--- stdout of " + name + " ---\n" + tail(out)
        + "\n(full output in " + stdout.getParent() + ")";
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
  }

  /** Kills the process if it is still running; safe to call more than once. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LIVE.remove(process);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
