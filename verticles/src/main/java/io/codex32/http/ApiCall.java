package io.codex32.http;

import io.codex32.security.Principal;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

/**
 * One API request after validation against the OpenAPI document and authentication: what an
 * operation handler needs, and nothing of the routing machinery.
 */
public record ApiCall(Principal principal, ValidatedRequest request, String sourceIp, String requestId) {

  public String path(String name) {
    RequestParameter p = request.getPathParameters().get(name);
    return p == null || p.isNull() ? null : p.getString();
  }

  public String query(String name) {
    RequestParameter p = request.getQuery().get(name);
    return p == null || p.isNull() ? null : String.valueOf(p.get());
  }

  public int queryInt(String name, int fallback) {
    RequestParameter p = request.getQuery().get(name);
    return p == null || p.isNull() ? fallback : ((Number) p.get()).intValue();
  }

  public boolean queryFlag(String name) {
    RequestParameter p = request.getQuery().get(name);
    return p != null && !p.isNull() && Boolean.TRUE.equals(p.get());
  }

  public String header(String name) {
    for (var entry : request.getHeaders().entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isNull()) {
        return entry.getValue().getString();
      }
    }
    return null;
  }

  public JsonObject body() {
    RequestParameter body = request.getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }
}
