package io.codex32.http;

import io.codex32.error.Codex32Exception;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** API bodies are JSON: anything else gets 415 before it reaches validation. */
final class ContentTypeGuard implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    boolean hasBody = rc.body() != null && rc.body().length() > 0;
    if (hasBody && rc.normalizedPath().startsWith("/api/")
        && (method == HttpMethod.POST || method == HttpMethod.PATCH || method == HttpMethod.PUT)) {
      String type = rc.request().getHeader("Content-Type");
      String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (!mime.equals("application/json")) {
        rc.fail(new Codex32Exception(415, "unsupported_media_type",
            "request bodies must be application/json, got '" + (type == null ? "none" : type) + "'"));
        return;
      }
    }
    rc.next();
  }
}
