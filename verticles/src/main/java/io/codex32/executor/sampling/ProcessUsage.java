package io.codex32.executor.sampling;

/** CPU and memory of a bot's whole process tree at one sample. CPU is percent of one core (200 = two cores busy). */
public record ProcessUsage(double cpuPercent, long rssBytes, int processes) {

  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  /** Resident memory in MiB. */
  public double memoryMb() {
    return rssBytes / BYTES_PER_MB;
  }
}
