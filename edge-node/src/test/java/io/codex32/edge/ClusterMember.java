package io.codex32.edge;

import io.codex32.test.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A gateway or edge-node jar started as a real process for the cluster tests; its output goes to a file. */
final class ClusterMember implements AutoCloseable {

  /** Longer than {@link Await}'s default: a JVM starting from its jar and joining a Hazelcast cluster, on a busy machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String name;
  private final Process process;
  private final Path log;
  private final Path dataDir;

  private ClusterMember(String name, Process process, Path log, Path dataDir) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.dataDir = dataDir;
  }

  static ClusterMember gateway(String name, Path dataDir, int clusterPort, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(Map.of(
        "CODEX32_HTTP_PORT", "0", "CODEX32_MQTT_PORT", "0", "CODEX32_HTTP_HOST", "127.0.0.1", "CODEX32_MQTT_HOST", "127.0.0.1",
        "CODEX32_ADMIN_PASSWORD", ClusterIT.ADMIN_PASSWORD, "CODEX32_AUTH_BCRYPT_COST", "4", "CODEX32_CLUSTER_PORT",
        Integer.toString(clusterPort)));
    all.putAll(env);
    return start(name, jar("codex32.gateway.jar"), dataDir, all);
  }

  static ClusterMember edge(String name, Path dataDir, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(Map.of("CODEX32_HTTP_PORT", "0", "CODEX32_HTTP_HOST", "127.0.0.1", "CODEX32_CLUSTER_PORT",
        "0"));
    all.putAll(env);
    return start(name, jar("codex32.edge.jar"), dataDir, all);
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(property + " is not built: " + jar + " (run the whole reactor: mvn verify)");
    }
    return jar;
  }

  private static ClusterMember start(String name, Path jar, Path dataDir, Map<String, String> env) throws IOException {
    Files.createDirectories(dataDir);
    Path log = dataDir.resolveSibling(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString());
    builder.environment().put("CODEX32_DATA_DIR", dataDir.toString());
    builder.environment().put("CODEX32_CLUSTER_ENABLED", "true");
    builder.environment().put("CODEX32_CLUSTER_HOST", "127.0.0.1");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ClusterMember(name, builder.start(), log, dataDir);
  }

  /** Waits for the line the main prints once everything is deployed. */
  ClusterMember awaitUp(String marker) {
    String out;
    try {
      out = Await.until(this::output, o -> o.contains(marker) || !process.isAlive(), name + " coming up", START_TIMEOUT);
    } catch (AssertionError e) {
      throw new AssertionError(name + " did not come up:\n" + output(), e);
    }
    if (!out.contains(marker)) {
      throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + out);
    }
    return this;
  }

  String name() {
    return name;
  }

  /** The HTTP port an edge node announced when it came up. */
  int edgePort() {
    Matcher port = Pattern.compile("is up on port (\\d+)").matcher(output());
    if (!port.find()) {
      throw new IllegalStateException(name + " has not announced its port");
    }
    return Integer.parseInt(port.group(1));
  }

  /** The HTTP port a gateway wrote to its ports.json. */
  int httpPort() throws IOException {
    String ports = Files.readString(dataDir.resolve("ports.json"));
    return new JsonObject(ports).getInteger("http");
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
