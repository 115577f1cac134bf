package io.codex32.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A blocking JSON client of a gateway's REST API on 127.0.0.1 for a bench's set-up and checks
 * (not for load: that is {@link ClosedLoop}); after {@link #login} every request carries the
 * admin's bearer token.
 */
final class GatewayRest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String bearer;

  GatewayRest(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Logs in as admin; returns the access token, which later requests carry. */
  String login(String password) throws IOException, InterruptedException {
    String token = call("POST", "/api/v1/auth/login", new JsonObject().put("username", "admin").put("password", password), 200)
        .getString("access_token");
    bearer = "Bearer " + token;
    return token;
  }

  HttpResponse<String> call(String method, String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The response body (an empty object if there is none); fails naming the request unless the status is {@code expected}. */
  JsonObject call(String method, String path, JsonObject body, int expected) throws IOException, InterruptedException {
    HttpResponse<String> response = call(method, path, body);
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + ": expected " + expected + ", got " + response.statusCode() + " "
          + response.body());
    }
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }
}
