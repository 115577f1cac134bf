package io.codex32.config;

import java.util.List;

/**
 * The executor of this node: which executables bots may run, how often their processes are
 * sampled, whether bots found running at start are adopted or stopped, and whether bots run in
 * cgroups v2 where the host allows it.
 */
public record ExecutorConfig(List<String> allowedCommands, long sampleIntervalMs, boolean adoptRunning, boolean cgroups) {

  static ExecutorConfig from(Settings s) {
    return new ExecutorConfig(s.list("executor.allowed_commands"), s.number("executor.sample_interval_ms", 100, 60_000),
        s.flag("executor.adopt_running"), s.flag("executor.cgroups"));
  }
}
