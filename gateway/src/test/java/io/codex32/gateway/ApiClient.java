package io.codex32.gateway;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain JDK HTTP client for one gateway process, holding the access token after
 * {@link #login}. Safe to share between threads. A connection failure (e.g. the process was
 * killed) surfaces as {@link UncheckedIOException}.
 */
public final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;
  private volatile String token;

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Logs in and keeps the access token for later calls; fails unless the login answers 200. */
  public ApiClient login(String username, String password) {
    Response response = attemptLogin(username, password);
    if (response.status() != 200) {
      throw new AssertionError("login of " + username + " answered " + response);
    }
    token = response.json().getString("access_token");
    return this;
  }

  Response attemptLogin(String username, String password) {
    return post("/api/v1/auth/login", new JsonObject().put("username", username).put("password", password));
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response post(String path, JsonObject body) {
    return send("POST", path, body, Map.of());
  }

  public Response send(String method, String path, JsonObject body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().firstValue("X-Request-Id").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the client saw; {@code requestId} is the {@code X-Request-Id} response header. */
  public record Response(int status, String body, String requestId) {

    public JsonObject json() {
      return new JsonObject(body);
    }
  }
}
