package io.codex32.executor.settings;

import java.nio.file.Path;
import java.util.List;

/**
 * What the executor of a node needs to know. {@code searchPath} is the fixed PATH through which a
 * bare command name is resolved (never the caller's or the gateway's PATH). {@code adoptRunning}:
 * whether bots found still running at start are adopted (else they are stopped, and started again
 * if their desired state says so). {@code cgroups}: whether bots run in cgroups v2 where the host
 * allows it ({@link BotCgroups}).
 */
public record ExecutorSettings(String nodeId, Path dataDir, List<String> allowedCommands, List<Path> searchPath, String apiUrl,
    String mqttUrl, long sampleIntervalMs, boolean adoptRunning, boolean cgroups) {

  public static final List<Path> DEFAULT_SEARCH_PATH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"));

  public ExecutorSettings {
    allowedCommands = List.copyOf(allowedCommands);
    searchPath = List.copyOf(searchPath);
  }

  /** Bots run in cgroups where the host allows it. */
  public ExecutorSettings(String nodeId, Path dataDir, List<String> allowedCommands, List<Path> searchPath, String apiUrl,
      String mqttUrl, long sampleIntervalMs, boolean adoptRunning) {
    this(nodeId, dataDir, allowedCommands, searchPath, apiUrl, mqttUrl, sampleIntervalMs, adoptRunning, true);
  }

  public BotPaths paths() {
    return BotPaths.under(dataDir);
  }
}
