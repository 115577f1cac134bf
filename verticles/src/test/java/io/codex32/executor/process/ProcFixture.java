package io.codex32.executor.process;

import io.codex32.bot.BotSpec;
import io.codex32.executor.settings.ExecutorSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Settings, specs, scripts and waits for tests that run real bot processes. */
final class ProcFixture {

  static final List<String> ALLOWED = List.of("sh", "python3", "sleep");
  static final String API_URL = "http://127.0.0.1:8080/api/v1";
  static final String MQTT_URL = "mqtt://127.0.0.1:1883";

  private ProcFixture() {
  }

  static ExecutorSettings settings(Path dataDir, List<String> allowed) {
    return new ExecutorSettings("local", dataDir, allowed, ExecutorSettings.DEFAULT_SEARCH_PATH, API_URL, MQTT_URL, 1000, true);
  }

  static ExecutorSettings settings(Path dataDir) {
    return settings(dataDir, ALLOWED);
  }

  static BotSpec spec(String id, String... command) {
    return spec(id, ".", Map.of(), command);
  }

  static BotSpec spec(String id, String workdir, Map<String, String> env, String... command) {
    return BotSpec.fromJson(new JsonObject().put("id", id).put("command", new JsonArray(List.of(command))).put("workdir", workdir)
        .put("env", new JsonObject(Map.copyOf(env))));
  }

  /** A script under src/test/resources/executor/proc (resources lose their exec bit, so run them through sh or python3). */
  static String script(String name) {
    URL url = ProcFixture.class.getResource("/executor/proc/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test script " + name);
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fields 3.. of /proc/pid/stat (state first), read independently of the code under test; empty
   * when the process does not exist.
   */
  static Optional<String[]> stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
      return Optional.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Running means present and not a zombie waiting to be reaped. */
  static boolean running(long pid) {
    return stat(pid).map(fields -> !fields[0].equals("Z") && !fields[0].equals("X")).orElse(false);
  }

  static long pgrp(long pid) {
    return stat(pid).map(fields -> Long.parseLong(fields[2])).orElseThrow(() -> new AssertionError("no process " + pid));
  }

  static long session(long pid) {
    return stat(pid).map(fields -> Long.parseLong(fields[3])).orElseThrow(() -> new AssertionError("no process " + pid));
  }

  /** A bot id no other test run on this machine uses, so its processes can be recognised by their environment. */
  static String uniqueId(String prefix) {
    return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  /**
   * Every running process that carries {@code CODEX32_BOT_ID=<botId>} in its environment: whatever a
   * bot started inherits it, so this finds escaped descendants that no parent link leads to.
   */
  static List<Long> runningProcessesOf(String botId) {
    String marker = "\0CODEX32_BOT_ID=" + botId + "\0";
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (environ(entry).contains(marker) && running(pid)) {
          found.add(pid);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The environment block, NUL-framed so that every variable is matched alike; empty when unreadable. */
  private static String environ(Path procEntry) {
    try {
      return "\0" + new String(Files.readAllBytes(procEntry.resolve("environ")), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
