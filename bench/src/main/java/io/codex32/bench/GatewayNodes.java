package io.codex32.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The gateway's view of a node, {@code GET /api/v1/nodes/<id>}, as the admin; polled every {@value #POLL_MS} ms. */
final class GatewayNodes {

  static final long POLL_MS = 50;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String password;
  private volatile String bearer;

  GatewayNodes(int port, String password) {
    this.base = "http://127.0.0.1:" + port;
    this.password = password;
  }

  void login() throws IOException, InterruptedException {
    String body = new JsonObject().put("username", "admin").put("password", password).encode();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("login: " + response.statusCode() + " " + response.body());
    }
    bearer = "Bearer " + new JsonObject(response.body()).getString("access_token");
  }

  /** True when the gateway lists the node online; false when offline or not (yet) known. */
  boolean online(String id) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/v1/nodes/" + id);
    if (response.statusCode() == 401) {
      login(); // the access token expired during a long run
      response = get("/api/v1/nodes/" + id);
    }
    return switch (response.statusCode()) {
      case 200 -> new JsonObject(response.body()).getBoolean("online", false);
      case 404 -> false;
      default -> throw new IllegalStateException("GET /api/v1/nodes/" + id + ": " + response.statusCode() + " " + response.body());
    };
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).header("Authorization", bearer)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls until the node's {@code online} is {@code wanted}; returns when that answer arrived (nanoTime). */
  long await(String id, boolean wanted, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean online = online(id);
      long now = System.nanoTime();
      if (online == wanted) {
        return now;
      }
      if (now > deadline) {
        throw new IllegalStateException("the gateway did not list " + id + (wanted ? " online" : " offline") + " within "
            + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
    }
  }

  /** The same in a background thread, so it can start polling at once while the caller waits for other events. */
  CompletableFuture<Long> awaitInBackground(String id, boolean wanted, Duration timeout) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return await(id, wanted, timeout);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }
}
