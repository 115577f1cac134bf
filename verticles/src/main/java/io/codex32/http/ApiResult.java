package io.codex32.http;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** What an operation answers: status, JSON body (or null for none) and extra headers. */
public record ApiResult(int status, JsonObject body, Map<String, String> headers) {

  public static ApiResult ok(JsonObject body) {
    return new ApiResult(200, body, Map.of());
  }

  public static ApiResult created(JsonObject body, String location) {
    return new ApiResult(201, body, Map.of("Location", location));
  }

  public static ApiResult accepted(JsonObject body) {
    return new ApiResult(202, body, Map.of());
  }

  public static ApiResult noContent() {
    return new ApiResult(204, null, Map.of());
  }

  public ApiResult withHeader(String name, String value) {
    Map<String, String> copy = new HashMap<>(headers);
    copy.put(name, value);
    return new ApiResult(status, body, Map.copyOf(copy));
  }
}
