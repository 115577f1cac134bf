package io.codex32.executor.process;

import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.bot.BotSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The complete environment of a bot process. It starts empty, so nothing of the gateway's own
 * environment (credentials, JAVA_*, tokens) reaches a bot: a fixed safe set, then the spec's
 * {@code env}, then the {@code CODEX32_*} variables, which the spec cannot override.
 */
final class BotEnvironment {

  static final String BOT_ID = "CODEX32_BOT_ID";
  static final String BOT_TOKEN = "CODEX32_BOT_TOKEN";
  static final String API_URL = "CODEX32_API_URL";
  static final String MQTT_URL = "CODEX32_MQTT_URL";
  static final Set<String> RESERVED = Set.of(BOT_ID, BOT_TOKEN, API_URL, MQTT_URL);

  private BotEnvironment() {
  }

  /** {@code gatewayEnv} is consulted only for TZ, so bots keep the node's time zone. */
  static Map<String, String> of(BotSpec spec, String botToken, Path botDir, String path, ExecutorSettings settings,
      Map<String, String> gatewayEnv) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", path);
    env.put("HOME", botDir.toString());
    env.put("LANG", "C.UTF-8");
    // Python block-buffers stdout into a file; bots' log lines should appear as they are printed.
    env.put("PYTHONUNBUFFERED", "1");
    String tz = gatewayEnv.get("TZ");
    if (tz != null) {
      env.put("TZ", tz);
    }
    spec.env().forEach((name, value) -> {
      // These names are the executor's even when it has no value for them: a spec must not point a bot at another API.
      if (!RESERVED.contains(name)) {
        env.put(name, value);
      }
    });
    env.put(BOT_ID, spec.id());
    putIfSet(env, BOT_TOKEN, botToken);
    putIfSet(env, API_URL, settings.apiUrl());
    putIfSet(env, MQTT_URL, settings.mqttUrl());
    return env;
  }

  private static void putIfSet(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
