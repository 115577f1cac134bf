package io.codex32.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * A real Redis server (6.2, from the embedded-redis jar) on a free loopback port, without
 * persistence: a restart comes back empty, as a Redis without backups would. Tests share one
 * server per JVM ({@link #shared()}), each class under a key prefix of its own
 * ({@link #prefixFor}); a test that stops Redis starts its own ({@link #startNew()}).
 */
public final class TestRedis implements AutoCloseable {

  private static TestRedis shared;

  private final int port;
  private final RedisServer server;

  private TestRedis(int port) {
    this.port = port;
    try {
      this.server = RedisServer.newRedisServer()
          .bind("127.0.0.1")
          .port(port)
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = startNew();
    }
    return shared;
  }

  /** A server of the caller's own; close it when done. */
  public static TestRedis startNew() {
    TestRedis redis = new TestRedis(freePort());
    redis.start();
    return redis;
  }

  /** A key prefix no other test class uses, e.g. {@code test:RedisLiveStateTest:3f2a9c1e:}. */
  public static String prefixFor(Class<?> testClass) {
    return "test:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public int port() {
    return port;
  }

  /** Gateway settings that put its live state in this server under {@code prefix}. */
  public Map<String, String> env(String prefix) {
    return Map.of("CODEX32_REDIS_URL", url(), "CODEX32_REDIS_KEY_PREFIX", prefix);
  }

  /** Starts the server (again, empty) on the same port; returns once it accepts connections. */
  public void start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("redis did not start on port " + port, e);
    }
  }

  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server process, a child of this JVM. */
  public Optional<ProcessHandle> process() {
    return ProcessHandle.current().children()
        .filter(child -> child.info().commandLine().map(line -> line.contains("redis-server") && line.contains(" " + port)).orElse(false))
        .findFirst();
  }

  @Override
  public void close() {
    if (this != shared) {
      stop();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
