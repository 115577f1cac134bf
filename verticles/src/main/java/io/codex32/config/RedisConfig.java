package io.codex32.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where live state is shared: {@code redis.url} ({@code redis://[:password@]host[:port][/db]} or
 * {@code rediss://} for TLS; unset = in-memory live state of this process only) and the prefix of
 * every key written, so that several deployments or tests can share one Redis.
 */
public record RedisConfig(String url, String keyPrefix) {

  public static final String DEFAULT_KEY_PREFIX = "codex32:";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");
  private static final Pattern DB = Pattern.compile("/?|/\\d{1,5}");

  static RedisConfig from(Settings s) {
    String url = s.string("redis.url");
    if (url != null) {
      checkUrl(url);
    }
    String prefix = s.requiredString("redis.key_prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new ConfigException("redis.key_prefix", "must be 1 to 64 characters of A-Z a-z 0-9 : _ . -");
    }
    return new RedisConfig(url, prefix);
  }

  /** True when live state goes to Redis. */
  public boolean enabled() {
    return url != null;
  }

  /** host:port without credentials, for logs and health messages. */
  public String endpoint() {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException("redis.url", "must be redis://host[:port][/db], got an unparsable URL");
    }
    // the message never repeats the URL: it may carry a password
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new ConfigException("redis.url", "must start with redis:// or rediss://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ConfigException("redis.url", "must name a host, e.g. redis://localhost:6379/0");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new ConfigException("redis.url", "port must be between 1 and 65535");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!DB.matcher(path).matches() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException("redis.url", "may end only in a database number, e.g. redis://localhost:6379/0");
    }
  }
}
