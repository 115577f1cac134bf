package io.codex32.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the effective configuration: defaults shipped in the jar ({@code conf/*.json}), then the
 * file given with {@code --conf FILE}, then environment variables {@code CODEX32_<KEY_PATH>} (dots
 * as underscores). Only keys present in the defaults exist; anything else is a mistake and is
 * reported with its name. Runs once at start, before any event loop exists.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "CODEX32_";
  /** A file may not be larger than this; configuration is small. */
  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private ConfigLoader() {
  }

  public static JsonObject load(String defaultsResource, List<String> args, Map<String, String> env) {
    JsonObject config = defaults(defaultsResource);
    String file = confFileArgument(args);
    if (file != null) {
      mergeKnown(config, readFile(Path.of(file)), "");
    }
    applyEnvironment(config, "", env);
    return config;
  }

  static JsonObject defaults(String resource) {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing default configuration " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read default configuration " + resource, e);
    }
  }

  private static String confFileArgument(List<String> args) {
    String file = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--conf")) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("--conf", "expects a file name");
        }
        file = args.get(++i);
      } else if (arg.startsWith("--conf=")) {
        file = arg.substring("--conf=".length());
      } else {
        throw new ConfigException(arg, "unknown argument (usage: [--conf FILE])");
      }
    }
    return file;
  }

  private static JsonObject readFile(Path file) {
    String key = "--conf " + file;
    try {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(key, "file not found");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(key, "file larger than " + MAX_FILE_BYTES + " bytes");
      }
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new ConfigException(key, "not a JSON object: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read: " + e.getMessage());
    }
  }

  private static void mergeKnown(JsonObject target, JsonObject source, String prefix) {
    for (Map.Entry<String, Object> entry : source) {
      String key = prefix + entry.getKey();
      if (!target.containsKey(entry.getKey())) {
        throw new ConfigException(key, "unknown configuration key");
      }
      Object current = target.getValue(entry.getKey());
      Object value = entry.getValue();
      if (current instanceof JsonObject section) {
        if (!(value instanceof JsonObject)) {
          throw new ConfigException(key, "must be an object");
        }
        mergeKnown(section, (JsonObject) value, key + ".");
      } else {
        target.put(entry.getKey(), coerce(key, current, value));
      }
    }
  }

  private static void applyEnvironment(JsonObject target, String prefix, Map<String, String> env) {
    for (String name : new ArrayList<>(target.fieldNames())) {
      String key = prefix + name;
      Object current = target.getValue(name);
      if (current instanceof JsonObject section) {
        applyEnvironment(section, key + ".", env);
        continue;
      }
      String variable = envName(key);
      String raw = env.get(variable);
      if (raw != null) {
        target.put(name, coerce(key + " (" + variable + ")", current, raw));
      }
    }
  }

  /** {@code http.port} → {@code CODEX32_HTTP_PORT}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Converts a value to the type of the default; a null default accepts a string. An array default
   * (like {@code gpio.pins}) takes an array from a file, or its JSON text from the environment.
   */
  private static Object coerce(String key, Object current, Object value) {
    if (value == null) {
      return null;
    }
    if (current instanceof JsonArray) {
      return array(key, value);
    }
    if (current instanceof Boolean) {
      if (value instanceof Boolean) {
        return value;
      }
      String text = value.toString().trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      throw new ConfigException(key, "must be true or false, got '" + value + "'");
    }
    if (current instanceof Number) {
      if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
        return number.longValue();
      }
      try {
        return Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "must be a whole number, got '" + value + "'");
      }
    }
    if (value instanceof JsonObject) {
      throw new ConfigException(key, "must be a single value, not an object");
    }
    if (value instanceof JsonArray) {
      throw new ConfigException(key, "must be a single value, not an array");
    }
    return value.toString();
  }

  private static JsonArray array(String key, Object value) {
    if (value instanceof JsonArray array) {
      return array;
    }
    try {
      return new JsonArray(value.toString());
    } catch (DecodeException e) {
      throw new ConfigException(key, "must be a JSON array: " + e.getMessage());
    }
  }
}
