package io.codex32.http;

import io.codex32.audit.AuditEntry;
import io.codex32.audit.AuditLog;
import io.codex32.metrics.GatewayMetrics;
import io.codex32.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every mutating API request (and so every login, success or not) in the audit trail
 * before the response is sent.
 */
final class AuditRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);
  /** {@code /api/v1/<collection>/<target>/...}: the resource id sits at this path segment. */
  private static final int TARGET_SEGMENT = 4;
  private static final String HEARTBEAT = "selfHeartbeat";
  /** Chat's own actions are audited with channel chat by the chat; the utterance itself changes nothing. */
  private static final String CHAT = "chat";

  private final AuditLog audit;
  private final GatewayMetrics metrics;

  AuditRecorder(AuditLog audit, GatewayMetrics metrics) {
    this.audit = audit;
    this.metrics = metrics;
  }

  /** Records the outcome if the request changes something; never fails. */
  Future<Void> record(RoutingContext rc, int status, String errorCode) {
    return record(rc, status, errorCode, null);
  }

  /** {@link #record(RoutingContext, int, String)} with what the change was ({@code details}, may be null). */
  Future<Void> record(RoutingContext rc, int status, String errorCode, String details) {
    HttpMethod method = rc.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || !rc.normalizedPath().startsWith("/api/")) {
      return Future.succeededFuture();
    }
    String action = rc.get(RequestAuthenticator.OPERATION);
    String result = result(status, errorCode);
    metrics.mutation(action == null ? "unmatched" : action, result.split(":")[0]);
    if ((HEARTBEAT.equals(action) || CHAT.equals(action)) && status < 400) {
      // a bot's heartbeat changes nothing and comes every few seconds, and a chat's actions are recorded
      // as themselves: only refusals go to the trail
      return Future.succeededFuture();
    }
    AuditEntry entry = new AuditEntry(actor(rc), action == null ? method.name() + " " + rc.normalizedPath() : action,
        target(rc), result, RequestLog.sourceIp(rc), RequestLog.requestId(rc), details);
    return audit.record(entry)
        .<Void>mapEmpty()
        .recover(failure -> {
          LOG.error("could not write audit record for request {}", entry.requestId(), failure);
          return Future.succeededFuture();
        });
  }

  private static String result(int status, String errorCode) {
    if (status < 400) {
      return "success";
    }
    return (status == 401 || status == 403 || status == 429 ? "denied:" : "failed:") + errorCode;
  }

  private static String actor(RoutingContext rc) {
    Principal principal = rc.get(RequestAuthenticator.PRINCIPAL);
    if (principal != null) {
      return principal.kind() == Principal.Kind.API_KEY ? principal.subject() + " (api key " + principal.credentialId() + ")"
          : principal.subject();
    }
    JsonObject body = jsonBody(rc);
    String username = body == null ? null : body.getValue("username") instanceof String s ? s : null;
    return username != null && "login".equals(rc.get(RequestAuthenticator.OPERATION)) ? truncate(username) : "anonymous";
  }

  private static String target(RoutingContext rc) {
    String[] segments = rc.normalizedPath().split("/");
    if (segments.length > TARGET_SEGMENT && !"auth".equals(segments[TARGET_SEGMENT - 1])) {
      return truncate(segments[TARGET_SEGMENT]);
    }
    JsonObject body = jsonBody(rc);
    if (body != null) {
      for (String field : new String[] {"id", "username", "name"}) {
        if (body.getValue(field) instanceof String s) {
          return truncate(s);
        }
      }
    }
    return null;
  }

  private static JsonObject jsonBody(RoutingContext rc) {
    try {
      return rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String truncate(String value) {
    return value.length() > 128 ? value.substring(0, 128) : value;
  }
}
