package io.codex32.test;

import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.executor.ExecutorVerticle;
import io.codex32.nodes.NodeHeartbeatVerticle;
import io.codex32.nodes.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Another node beside a {@link TestGateway}, on the gateway's (non-clustered) Vert.x: a real executor
 * under its own node id and data directory, and a heartbeat announcing its labels every 200 ms, as an
 * edge node would over the clustered bus. Its bots are real processes; {@link #close()} ends the node,
 * {@link #silence()} only its heartbeat, and {@link #killBots()} the processes it left behind.
 */
public final class TestNode implements AutoCloseable {

  /** How often the node announces itself. */
  public static final long HEARTBEAT_MS = 200;
  private static final List<String> ALLOWED = List.of("sleep", "sh", "python3");

  private final Vertx vertx;
  private final String id;
  private final Path dataDir;
  private final String executor;
  private String heartbeat;

  private TestNode(Vertx vertx, String id, Path dataDir, String executor, String heartbeat) {
    this.vertx = vertx;
    this.id = id;
    this.dataDir = dataDir;
    this.executor = executor;
    this.heartbeat = heartbeat;
  }

  /** Starts node {@code id} with {@code labels}, its bots under {@code dataDir}; returns once both verticles run. */
  public static TestNode start(TestGateway gateway, String id, Map<String, String> labels, Path dataDir) {
    ExecutorSettings settings = new ExecutorSettings(id, dataDir, ALLOWED, ExecutorSettings.DEFAULT_SEARCH_PATH, gateway.url(""),
        "mqtt://127.0.0.1:" + gateway.mqttPort(), 200, true, false);
    Vertx vertx = gateway.vertx();
    String executor = Await.result(ExecutorVerticle.create(vertx, settings, botId -> Future.succeededFuture(null), Clock.systemUTC())
        .compose(vertx::deployVerticle));
    TestNode node = new TestNode(vertx, id, dataDir, executor, null);
    node.heartbeat = Await.result(vertx.deployVerticle(node.heartbeatVerticle(labels)));
    return node;
  }

  private NodeHeartbeatVerticle heartbeatVerticle(Map<String, String> labels) {
    return new NodeHeartbeatVerticle(new NodeIdentity(id, labels, id + ".test", "0.1.0"), HEARTBEAT_MS, Clock.systemUTC());
  }

  public String id() {
    return id;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the heartbeat only: the gateway soon sees the node offline, while its executor still answers. */
  public void silence() {
    Await.result(vertx.undeploy(heartbeat));
  }

  /** Ends the node like a crash: heartbeat and executor go, the bot processes keep running. Nothing to do once its Vert.x is closed. */
  @Override
  public void close() {
    if (vertx.deploymentIDs().contains(heartbeat)) {
      Await.result(vertx.undeploy(heartbeat));
    }
    if (vertx.deploymentIDs().contains(executor)) {
      Await.result(vertx.undeploy(executor));
    }
  }

  /** Kills every process a bot of this node left running (pids from its {@code process.json} files). */
  public void killBots() {
    Path bots = dataDir.resolve("bots");
    if (!Files.isDirectory(bots)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(bots)) {
      dirs.map(dir -> dir.resolve("process.json")).filter(Files::isRegularFile).forEach(TestNode::kill);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Only the very process recorded (same start time): its pid may have been reused since. */
  private static void kill(Path processJson) {
    try {
      JsonObject record = new JsonObject(Files.readString(processJson));
      Instant started = Instant.parse(record.getString("start_time"));
      ProcessHandle.of(record.getLong("pid"))
          .filter(process -> process.info().startInstant().map(at -> Duration.between(at, started).abs().getSeconds() < 2).orElse(false))
          .ifPresent(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
