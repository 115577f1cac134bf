package io.codex32.error;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one failure type of the domain: a stable machine-readable code, an HTTP-like status and a
 * human message. Each transport maps it in exactly one place (HTTP failure handler, MQTT reason
 * code, event-bus {@code Message.fail}).
 */
public class Codex32Exception extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final JsonArray details;
  private final long retryAfterSeconds;

  public Codex32Exception(int status, String code, String message) {
    this(status, code, message, new JsonArray(), 0, null);
  }

  public Codex32Exception(int status, String code, String message, JsonArray details, long retryAfterSeconds, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonArray() : details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonArray details() {
    return details;
  }

  /** Seconds a client should wait before retrying; 0 when not applicable. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static Codex32Exception badRequest(String code, String message) {
    return new Codex32Exception(400, code, message);
  }

  public static Codex32Exception validation(String message, JsonArray details) {
    return new Codex32Exception(400, "validation_failed", message, details, 0, null);
  }

  public static Codex32Exception unauthorized(String code, String message) {
    return new Codex32Exception(401, code, message);
  }

  public static Codex32Exception forbidden(String message) {
    return new Codex32Exception(403, "forbidden", message);
  }

  public static Codex32Exception notFound(String message) {
    return new Codex32Exception(404, "not_found", message);
  }

  public static Codex32Exception conflict(String code, String message) {
    return new Codex32Exception(409, code, message);
  }

  public static Codex32Exception unprocessable(String code, String message) {
    return new Codex32Exception(422, code, message);
  }

  public static Codex32Exception tooManyRequests(String message, long retryAfterSeconds) {
    return new Codex32Exception(429, "too_many_requests", message, new JsonArray(), Math.max(1, retryAfterSeconds), null);
  }

  public static Codex32Exception unavailable(String code, String message, Throwable cause) {
    return new Codex32Exception(503, code, message, new JsonArray(), 0, cause);
  }

  /** The error body every transport returns: {@code {"error":{"code","message","details"}}}. */
  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("code", code)
        .put("message", getMessage())
        .put("details", details));
  }
}
