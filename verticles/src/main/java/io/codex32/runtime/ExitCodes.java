package io.codex32.runtime;

import io.codex32.config.ConfigException;
import io.codex32.store.DataDirLockedException;
import io.codex32.store.SchemaTooNewException;

/**
 * How a failure ends a gateway or edge-node process: one line on stderr and an exit code. 2: bad
 * configuration or a database of a newer gateway, 3: the data directory is in use, 1: anything
 * else. A restart fixes none of 2 and 3, so the systemd units do not retry them.
 */
public final class ExitCodes {

  public static final int FAILED = 1;
  public static final int CONFIGURATION = 2;
  public static final int DATA_DIR_LOCKED = 3;

  private ExitCodes() {
  }

  /**
   * Prints the line for {@code failure} and returns its exit code. {@code program} starts the line
   * ("codex32"); {@code doing} says what failed ("failed to start").
   */
  public static int report(String program, String doing, Throwable failure) {
    ConfigException config = find(failure, ConfigException.class);
    if (config != null) {
      System.err.println(program + ": configuration error: " + config.getMessage());
      return CONFIGURATION;
    }
    SchemaTooNewException schema = find(failure, SchemaTooNewException.class);
    if (schema != null) {
      System.err.println(program + ": " + schema.getMessage());
      return CONFIGURATION;
    }
    DataDirLockedException locked = find(failure, DataDirLockedException.class);
    if (locked != null) {
      System.err.println(program + ": " + locked.getMessage());
      return DATA_DIR_LOCKED;
    }
    System.err.println(program + ": " + doing + ": " + failure.getMessage());
    return FAILED;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
