package io.codex32.http;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * What an operation answers: status, JSON body (or null for none) and extra headers; and, for the
 * audit trail only, what the change was ({@code auditDetails}, null for most operations).
 */
public record ApiResult(int status, JsonObject body, Map<String, String> headers, String auditDetails) {

  public ApiResult(int status, JsonObject body, Map<String, String> headers) {
    this(status, body, headers, null);
  }

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
    return new ApiResult(status, body, Map.copyOf(copy), auditDetails);
  }

  public ApiResult withAuditDetails(String details) {
    return new ApiResult(status, body, headers, details);
  }
}
