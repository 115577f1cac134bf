package io.codex32.config;

/**
 * The HTTP listener. {@code instances} 0 means one verticle instance per core.
 */
public record HttpConfig(String host, int port, long maxBodyBytes, int instances) {

  static HttpConfig from(Settings s) {
    return new HttpConfig(
        s.requiredString("http.host"),
        s.port("http.port"),
        s.number("http.max_body_bytes", 1024, 64L * 1024 * 1024),
        (int) s.number("http.instances", 0, 64));
  }

  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
