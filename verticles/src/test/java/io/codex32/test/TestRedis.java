package io.codex32.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
    TestRedis redis = notStarted();
    redis.start();
    return redis;
  }

  /** A server of the caller's own with its port chosen, not started yet. */
  public static TestRedis notStarted() {
    return new TestRedis(freePort());
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

  /** The server process, a child of this JVM (Redis rewrites its command line to {@code redis-server... host:port}). */
  public Optional<ProcessHandle> process() {
    return ProcessHandle.current().children().filter(child -> {
      String line = commandLine(child.pid());
      return line.contains("redis-server") && line.contains(":" + port + " ");
    }).findFirst();
  }

  private static String commandLine(long pid) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ') + " ";
    } catch (IOException e) {
      return "";
    }
  }

  /** Freezes (SIGSTOP) the server: connections stay open and nothing is answered, as with a hung host. */
  public void freeze() {
    signal("-STOP");
  }

  /** Lets a frozen server go on (SIGCONT). */
  public void thaw() {
    signal("-CONT");
  }

  @Override
  public void close() {
    if (this != shared && server.isActive()) {
      stop();
    }
  }

  private void signal(String signal) {
    long pid = process().orElseThrow(() -> new IllegalStateException("redis on port " + port + " is not running")).pid();
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
