package io.codex32.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The PostgreSQL store ({@code store=postgres}): where it is, how many connections a gateway
 * keeps, and how long any one wait may last, so that a database that is gone or stuck turns into
 * a quick 503 instead of a request that hangs.
 *
 * @param url {@code postgresql://user:password@host:port/database}; null unless the store is postgres
 * @param poolSize connections this gateway keeps open at most
 * @param connectTimeoutMs bound on opening a TCP connection to the server
 * @param queryTimeoutMs bound on one store operation, waiting for a free pooled connection included
 */
public record PgConfig(String url, int poolSize, long connectTimeoutMs, long queryTimeoutMs) {

  static PgConfig from(Settings s, StoreKind store) {
    String url = s.string("pg.url");
    if (store == StoreKind.POSTGRES) {
      requireValidUrl(url);
    }
    return new PgConfig(url,
        (int) s.number("pg.pool_size", 1, 1000),
        s.number("pg.connect_timeout_ms", 100, 600_000),
        s.number("pg.query_timeout_ms", 100, 600_000));
  }

  private static void requireValidUrl(String url) {
    if (url == null) {
      throw new ConfigException("pg.url", "must be set when store is 'postgres' (postgresql://user:password@host:port/database)");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException("pg.url", "not a URL (" + e.getReason() + "); expected postgresql://user:password@host:port/database");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new ConfigException("pg.url", "must start with postgresql://, got '" + (scheme == null ? "" : scheme + "://") + "'");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
      throw new ConfigException("pg.url", "must name a host and a database: postgresql://user:password@host:port/database");
    }
  }

  /** The URL without its password, for logs and messages. */
  public String redactedUrl() {
    return url == null ? null : url.replaceFirst("//([^:@/]*):[^@/]*@", "//$1:***@");
  }
}
