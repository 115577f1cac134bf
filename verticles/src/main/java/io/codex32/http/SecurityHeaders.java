package io.codex32.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

/** Security headers on every response; API responses are never cached. */
final class SecurityHeaders implements SecurityPolicyHandler {

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  @Override
  public void handle(RoutingContext rc) {
    MultiMap headers = rc.response().headers();
    headers.set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("Referrer-Policy", "no-referrer")
        .set("Permissions-Policy", "camera=(), microphone=(self), geolocation=(), payment=(), usb=()")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    if (rc.normalizedPath().startsWith("/api/")) {
      headers.set("Cache-Control", "no-store");
    }
    rc.next();
  }
}
