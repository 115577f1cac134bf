package io.codex32.executor.sampling;

import io.codex32.bot.Resources;

/**
 * A bot's {@code resources} limits against one sample of its process tree: a bot over its memory
 * or CPU quota for {@link #SAMPLES} samples in a row is stopped.
 */
public final class QuotaCheck {

  /** Consecutive samples over a quota before the bot is stopped. */
  public static final int SAMPLES = 3;

  private QuotaCheck() {
  }

  public static boolean exceeded(Resources limits, ProcessUsage usage) {
    Integer memory = limits.maxMemoryMb();
    Integer cpu = limits.maxCpuPercent();
    return memory != null && usage.memoryMb() > memory || cpu != null && usage.cpuPercent() > cpu;
  }

  /** The usage against the limits, as the reason of the stop says it. */
  public static String describe(Resources limits, ProcessUsage usage) {
    return String.format("memory %.0f MB (max %s), cpu %.0f %% (max %s)", usage.memoryMb(), limits.maxMemoryMb(),
        usage.cpuPercent(), limits.maxCpuPercent());
  }
}
