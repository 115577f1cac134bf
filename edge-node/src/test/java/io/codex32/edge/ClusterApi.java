package io.codex32.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import io.vertx.core.json.JsonArray;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the cluster tests do over HTTP and in /proc: sign in, read and change through a gateway's API, wait for a state. */
final class ClusterApi {

  /** Longer than {@link Await}'s default: separate JVMs form a Hazelcast cluster and notice members leave. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClusterApi() {
  }

  static String login(String base) throws Exception {
    HttpResponse<String> response = send(base, "POST", "/api/v1/auth/login", new JsonObject().put("username", "admin")
        .put("password", ClusterIT.ADMIN_PASSWORD), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("access_token");
  }

  /** The JSON answer, or {@code {"http_status": N}} for anything but 200 (and for no answer at all: 0). */
  static JsonObject get(String base, String path, String token) throws Exception {
    HttpResponse<String> response;
    try {
      response = send(base, "GET", path, null, token);
    } catch (IOException e) {
      return new JsonObject().put("http_status", 0).put("error", e.toString());
    }
    return response.statusCode() == 200 ? new JsonObject(response.body()) : new JsonObject().put("http_status", response.statusCode());
  }

  static JsonArray getArray(String base, String path, String token) throws Exception {
    return get(base, path, token).getJsonArray("items", new JsonArray());
  }

  static HttpResponse<String> send(String base, String method, String path, JsonObject body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  interface Read {
    JsonObject get() throws Exception;
  }

  /** Reads until {@code condition} holds (60 s at most); the failure shows the last read and {@code context}. */
  static JsonObject await(Read read, Predicate<JsonObject> condition, String what, Supplier<String> context) {
    try {
      return Await.until(() -> readOrFail(read), condition, what, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + context.get(), e);
    }
  }

  private static JsonObject readOrFail(Read read) {
    try {
      return read.get();
    } catch (Exception e) {
      throw new AssertionError("read failed", e);
    }
  }

  /** The last 4000 characters each member wrote, for failure messages. */
  static String tails(ClusterMember... members) {
    StringBuilder out = new StringBuilder();
    Arrays.stream(members).filter(member -> member != null).forEach(member -> {
      String log = member.output();
      out.append("--- ").append(member.name()).append(":\n").append(log.length() > 4000 ? log.substring(log.length() - 4000) : log)
          .append('\n');
    });
    return out.toString();
  }

  /** The processes whose command line contains {@code marker} and whose working directory is {@code botDir}. */
  static List<Long> processesIn(Path botDir, String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(p -> {
          try {
            return Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/cwd")).equals(botDir);
          } catch (IOException e) {
            return false;
          }
        })
        .map(ProcessHandle::pid).toList();
  }

  /** A process's environment as the kernel holds it (we run as the same user). */
  static Map<String, String> environment(long pid) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
