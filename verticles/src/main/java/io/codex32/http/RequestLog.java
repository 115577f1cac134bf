package io.codex32.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each request an id (the client's {@code X-Request-Id} if it is sane, else a new one),
 * echoes it, and writes one structured access-log line when the response is done.
 */
final class RequestLog implements PlatformHandler {

  static final String REQUEST_ID = "codex32.request_id";
  private static final Logger LOG = LoggerFactory.getLogger("codex32.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  public void handle(RoutingContext rc) {
    String offered = rc.request().getHeader("X-Request-Id");
    String id = offered != null && SANE_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    rc.put(REQUEST_ID, id);
    rc.response().putHeader("X-Request-Id", id);
    long start = System.nanoTime();
    rc.addBodyEndHandler(v -> LOG.info("{} {} {}", kv("method", rc.request().method().name()), kv("path", rc.normalizedPath()),
        kv("status", rc.response().getStatusCode()), kv("duration_ms", (System.nanoTime() - start) / 1_000_000),
        kv("request_id", id), kv("remote", RequestLog.sourceIp(rc))));
    rc.next();
  }

  static String requestId(RoutingContext rc) {
    return rc.get(REQUEST_ID);
  }

  static String sourceIp(RoutingContext rc) {
    return rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
  }
}
