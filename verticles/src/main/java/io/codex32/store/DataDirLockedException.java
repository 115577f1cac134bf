package io.codex32.store;

import java.nio.file.Path;

/**
 * Another process (or another store in this JVM) already holds the data directory. The message
 * names the directory and, when known, the holder's pid.
 */
public class DataDirLockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DataDirLockedException(Path dataDir, String holder) {
    super("data directory " + dataDir.toAbsolutePath() + " is in use by another Codex-32 process"
        + (holder == null || holder.isBlank() ? "" : " (" + holder.trim() + ")"));
  }
}
