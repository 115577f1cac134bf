package io.codex32.nodes;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/** The host's CPU and memory use, read with OSHI. Blocking: call it on a worker thread. */
final class SystemLoad {

  private static final long MB = 1024 * 1024;

  /** One reading of the host. */
  record Reading(int cores, long memoryMb, double cpuPercent, long memoryUsedMb, double loadAverage) {
  }

  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private long[] previousTicks;

  SystemLoad() {
    SystemInfo system = new SystemInfo();
    this.processor = system.getHardware().getProcessor();
    this.memory = system.getHardware().getMemory();
    this.previousTicks = processor.getSystemCpuLoadTicks();
  }

  /** CPU % over all cores since the previous reading (the first one: since construction). */
  synchronized Reading read() {
    double cpu = processor.getSystemCpuLoadBetweenTicks(previousTicks) * 100;
    previousTicks = processor.getSystemCpuLoadTicks();
    double load = processor.getSystemLoadAverage(1)[0];
    long total = memory.getTotal();
    return new Reading(processor.getLogicalProcessorCount(), total / MB, Math.round(cpu * 10) / 10.0,
        (total - memory.getAvailable()) / MB, load < 0 ? 0 : Math.round(load * 100) / 100.0);
  }
}
