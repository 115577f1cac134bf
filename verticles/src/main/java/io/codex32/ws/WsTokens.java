package io.codex32.ws;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a WebSocket client puts its access token. Browsers cannot set an Authorization header on
 * a WebSocket, so the client offers two sub-protocols, {@value #PROTOCOL} and
 * {@value #BEARER_PREFIX}{@code <jwt>}; the server answers with {@value #PROTOCOL} only, so the
 * token is never echoed. {@code ?token=<jwt>} works too (for clients without sub-protocols; it may
 * end up in proxy logs, which is why only short-lived access tokens are accepted, not API keys).
 */
final class WsTokens {

  static final String PROTOCOL = "codex32.v1";
  static final String BEARER_PREFIX = "codex32.bearer.";

  private WsTokens() {
  }

  /** The token the client offered, or {@code null}. The sub-protocol wins over the query. */
  static String from(MultiMap headers, String query) {
    for (String header : headers.getAll("Sec-WebSocket-Protocol")) {
      for (String protocol : header.split(",")) {
        String p = protocol.trim();
        if (p.startsWith(BEARER_PREFIX) && p.length() > BEARER_PREFIX.length()) {
          return p.substring(BEARER_PREFIX.length());
        }
      }
    }
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("token=") && pair.length() > "token=".length()) {
        return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * The token's {@code exp}, read without verifying: called only after
   * {@code AuthService.authenticateBearer} accepted the token, to schedule the close at expiry.
   * {@code null} when the token has none.
   */
  static Instant expiry(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Long exp = claims.getLong("exp");
      return exp == null ? null : Instant.ofEpochSecond(exp);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
