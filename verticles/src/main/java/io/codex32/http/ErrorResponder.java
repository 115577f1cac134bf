package io.codex32.http;

import io.codex32.error.Codex32Exception;
import io.codex32.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the one error shape {@code {"error":{"code","message","details"}}} with
 * the right status. The only place where exceptions become HTTP responses.
 */
final class ErrorResponder implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
  private static final Pattern PROPERTY = Pattern.compile("Property \"([^\"]*)\"");

  private final AuditRecorder audit;
  private final GatewayMetrics metrics;

  ErrorResponder(AuditRecorder audit, GatewayMetrics metrics) {
    this.audit = audit;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext rc) {
    Codex32Exception error = translate(rc.failure(), rc.statusCode());
    metrics.error(error.status(), error.code());
    if (error.status() >= 500 && error.status() != 503) {
      LOG.error("request {} failed", RequestLog.requestId(rc), rc.failure());
    }
    audit.record(rc, error.status(), error.code()).onComplete(done -> send(rc, error));
  }

  static void send(RoutingContext rc, Codex32Exception error) {
    if (rc.response().ended()) {
      return;
    }
    if (error.retryAfterSeconds() > 0) {
      rc.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    if (error.status() == 401) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"codex32\"");
    }
    rc.response().setStatusCode(error.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(error.toJson().encode());
  }

  static Codex32Exception translate(Throwable failure, int statusCode) {
    if (failure instanceof Codex32Exception e) {
      return e;
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() != null && !(http.getCause() instanceof HttpException)) {
        Codex32Exception cause = translateCause(http.getCause());
        if (cause != null) {
          return cause;
        }
      }
      return byStatus(http.getStatusCode(), http.getPayload());
    }
    Codex32Exception cause = failure == null ? null : translateCause(failure);
    if (cause != null) {
      return cause;
    }
    if (failure == null) {
      return byStatus(statusCode, null);
    }
    return new Codex32Exception(500, "internal_error", "internal error; see the server log");
  }

  private static Codex32Exception translateCause(Throwable cause) {
    if (cause instanceof Codex32Exception e) {
      return e;
    }
    if (cause instanceof DecodeException || cause.getCause() instanceof DecodeException) {
      return Codex32Exception.badRequest("invalid_json", "the request body is not valid JSON");
    }
    if (cause instanceof SchemaValidationException schema) {
      JsonArray details = details(schema.getOutputUnit());
      return Codex32Exception.validation(summary(schema.getMessage(), details), details);
    }
    if (cause instanceof ValidatorException validator) {
      // vertx-openapi reports a body it cannot parse as ILLEGAL_VALUE (see its ContentAnalyser)
      if (validator.type() == ValidatorErrorType.ILLEGAL_VALUE) {
        return Codex32Exception.badRequest("invalid_json", "the request body is not valid JSON");
      }
      return Codex32Exception.validation(validator.getMessage(), new JsonArray());
    }
    return null;
  }

  /** The leaf errors of the JSON-schema output: where in the input, which rule, what is wrong. */
  private static JsonArray details(OutputUnit unit) {
    JsonArray details = new JsonArray();
    collect(unit, details);
    return details;
  }

  private static void collect(OutputUnit unit, JsonArray details) {
    if (unit == null) {
      return;
    }
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(child -> collect(child, details));
      return;
    }
    String error = unit.getError();
    if (error == null || error.startsWith("A subschema had errors") || error.startsWith("Instance does not match every subschema")) {
      return;
    }
    String rule = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    Matcher property = PROPERTY.matcher(error);
    boolean unknown = rule.endsWith("/unevaluatedProperties")
        || rule.endsWith("/additionalProperties") && error.contains("does not match additional properties") && property.find();
    if (unknown && property.find(0)) {
      String field = unit.getInstanceLocation();
      details.add(new JsonObject().put("field", field).put("rule", rule).put("message", "unknown field '" + property.group(1) + "'"));
      return;
    }
    details.add(new JsonObject().put("field", unit.getInstanceLocation()).put("rule", rule).put("message", error));
  }

  /** Unknown fields are the most common mistake: say so plainly. */
  private static String summary(String message, JsonArray details) {
    String unknown = details.stream().map(JsonObject.class::cast).map(d -> d.getString("message"))
        .filter(m -> m.startsWith("unknown field")).distinct().reduce((a, b) -> a + ", " + b).orElse(null);
    return unknown != null ? "the request body has " + unknown + "; see /openapi.yaml for the accepted fields" : message;
  }

  private static Codex32Exception byStatus(int status, String payload) {
    return switch (status) {
      case 400 -> Codex32Exception.badRequest("bad_request", payload == null ? "bad request" : payload);
      case 401 -> Codex32Exception.unauthorized("unauthenticated", "authentication required");
      case 403 -> Codex32Exception.forbidden("forbidden");
      case 404 -> Codex32Exception.notFound("no such resource");
      case 405 -> new Codex32Exception(405, "method_not_allowed", "this resource does not support that method");
      case 413 -> new Codex32Exception(413, "payload_too_large", "the request body is larger than the server accepts");
      case 415 -> new Codex32Exception(415, "unsupported_media_type", "request bodies must be application/json");
      default -> new Codex32Exception(status >= 400 && status < 600 ? status : 500, "internal_error",
          "request failed (" + status + ")");
    };
  }
}
