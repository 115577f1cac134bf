package io.codex32.executor;

/** Bounds on what a bot's output may cost the node. */
public record LogLimits(int maxLineBytes, int ringLines, long maxFileBytes, int keptGenerations, long pollIntervalMs) {

  public static final LogLimits DEFAULTS = new LogLimits(8 * 1024, 1000, 10L * 1024 * 1024, 2, 200);
}
