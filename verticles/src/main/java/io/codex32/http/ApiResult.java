package io.codex32.http;

import java.util.Map;

/** What an operation answers: status, JSON body (or null for none) and extra headers. */
public record ApiResult(int status, Object body, Map<String, String> headers) {

  public static ApiResult ok(Object body) {
    return new ApiResult(200, body, Map.of());
  }

  public static ApiResult created(Object body, String location) {
    return new ApiResult(201, body, Map.of("Location", location));
  }

  public static ApiResult accepted(Object body) {
    return new ApiResult(202, body, Map.of());
  }

  public static ApiResult noContent() {
    return new ApiResult(204, null, Map.of());
  }

  public ApiResult withHeader(String name, String value) {
    var copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new ApiResult(status, body, Map.copyOf(copy));
  }
}
