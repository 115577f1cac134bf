package io.codex32.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reference server: the cost floor of "HTTP + JSON + one fsync per write", with no
 * authentication, validation, audit or store index.
 *
 * <ul>
 *   <li>{@code GET /ref/bots/{id}}: 200 with a fixed ~600-byte JSON document held in memory.</li>
 *   <li>{@code POST /ref/bots}: parses the JSON body, appends it as one line to
 *       {@code <dir>/ref-journal} and calls {@code FileChannel.force(false)} (fdatasync) on a worker
 *       thread, then answers 201 with the re-encoded document. Every request does its own
 *       write + fdatasync; there is no batching in this process (concurrent fdatasyncs may still
 *       share a filesystem journal commit in the kernel).</li>
 *   <li>{@code GET /health/ready}: 200, so run.sh can wait for it like for the gateway.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp codex32-bench-all.jar io.codex32.bench.RefServer <dir> [instances]}.
 * Listens on 127.0.0.1, any free port (shared by all instances), with one verticle instance per core by default (as the
 * gateway's {@code http.instances=0}), and writes {@code <dir>/ports.json} as {@code {"http":N}}.
 */
public final class RefServer extends VerticleBase {

  /** Shaped like a gateway bot response; the size is what matters. */
  static final String DOCUMENT = new JsonObject()
      .put("id", "weather-station")
      .put("name", "Weather station")
      .put("description", "roof sensor, reference document for the benchmark")
      .put("role", "collector")
      .put("command", new io.vertx.core.json.JsonArray().add("python3").add("weather.py").add("--interval").add("5"))
      .put("env", new JsonObject().put("UNITS", "metric"))
      .put("placement", new JsonObject().put("node", "local"))
      .put("restart", new JsonObject().put("policy", "on-failure").put("max_restarts", 5).put("window_s", 300))
      .put("desired_state", "stopped")
      .put("status", "registered")
      .put("status_version", 0)
      .put("reason", null)
      .put("node", "local")
      .put("revision", 1)
      .put("created_at", "2026-01-31T10:00:00.123456Z")
      .put("last_updated", "2026-01-31T10:00:00.123456Z")
      .put("pid", null)
      .put("uptime_seconds", null)
      .put("cpu_load", null)
      .put("memory_usage_mb", null)
      .put("exit_code", null)
      .encode();

  private final FileChannel journal;
  private final int port;
  private final Buffer document = Buffer.buffer(DOCUMENT);
  private HttpServer server;

  RefServer(FileChannel journal, int port) {
    this.journal = journal;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    return server.requestHandler(this::handle).listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (request.method() == HttpMethod.GET && path.startsWith("/ref/bots/")) {
      request.response().putHeader("Content-Type", "application/json").end(document);
    } else if (request.method() == HttpMethod.POST && path.equals("/ref/bots")) {
      request.body().onComplete(body -> {
        if (body.failed()) {
          request.response().setStatusCode(500).end();
          return;
        }
        JsonObject json;
        try {
          json = body.result().toJsonObject();
        } catch (DecodeException e) {
          request.response().setStatusCode(400).end();
          return;
        }
        String encoded = json.encode();
        byte[] line = (encoded + "\n").getBytes(StandardCharsets.UTF_8);
        vertx.executeBlocking(() -> {
          ByteBuffer buffer = ByteBuffer.wrap(line);
          while (buffer.hasRemaining()) {
            journal.write(buffer);
          }
          journal.force(false);
          return null;
        }, false).onComplete(done -> {
          if (done.succeeded()) {
            request.response().setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .putHeader("Location", "/ref/bots/" + json.getString("id"))
                .end(encoded);
          } else {
            request.response().setStatusCode(500).end();
          }
        });
      });
    } else if (request.method() == HttpMethod.GET && path.equals("/health/ready")) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"up\"}");
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RefServer <dir> [instances]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Files.createDirectories(dir);
    FileChannel journal = FileChannel.open(dir.resolve("ref-journal"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    Vertx vertx = Vertx.vertx();
    // Port -1: Vert.x binds one random port shared by all instances (round robin between event
    // loops), as the gateway does for http.port=0.
    List<RefServer> deployed = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> {
      RefServer verticle = new RefServer(journal, -1);
      deployed.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get();
    int port = deployed.get(0).actualPort();
    Path tmp = dir.resolve("ports.json.tmp");
    Files.writeString(tmp, "{\"http\":" + port + "}");
    Files.move(tmp, dir.resolve("ports.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("ref-server: listening on 127.0.0.1:" + port + " with " + instances + " instance(s), "
        + DOCUMENT.length() + "-byte GET document, journal " + dir.resolve("ref-journal"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        journal.close();
      } catch (Exception | Error e) {
        // shutting down anyway
      }
    }));
  }
}
