package io.codex32.executor.sampling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples CPU and resident memory of many process trees in one pass (OSHI). CPU percent is
 * measured between consecutive samples of the same process. Blocking: call from a worker thread,
 * one sample at a time.
 *
 * <p>One {@code getProcesses()} call per sample reads the whole process table once, whatever the
 * number of bots; the trees are then walked through a parent → children map. A process is known
 * by pid and start time, so a reused pid starts over at 0 CPU instead of showing a bogus delta.
 * Limits: CPU used by a child that exited between two samples is not counted (Linux books it
 * to the parent's "children" time, which this does not read), and a process that left the tree
 * (re-parented after its parent died) no longer counts for the bot.
 */
public final class ProcessSampler {

  /** Start times of one process read twice may differ by rounding; pid reuse within this is not a concern. */
  private static final long START_TIME_TOLERANCE_MS = 20;

  private OperatingSystem os;
  private Map<Integer, Ticks> previous = Map.of();

  /** Cheap: OSHI (and its native library) loads on the first {@link #sample}, on the sampling thread. */
  public ProcessSampler() {
  }

  /** Usage of each root pid's tree (root and all descendants); roots that no longer exist are absent. */
  public synchronized Map<Long, ProcessUsage> sample(Collection<Long> rootPids) {
    if (rootPids.isEmpty()) {
      previous = Map.of();
      return Map.of();
    }
    List<OSProcess> all = operatingSystem().getProcesses();
    long now = System.nanoTime();
    Map<Integer, OSProcess> byPid = new HashMap<>(all.size() * 2);
    Map<Integer, List<OSProcess>> children = new HashMap<>();
    for (OSProcess process : all) {
      byPid.put(process.getProcessID(), process);
      if (process.getParentProcessID() != process.getProcessID()) {
        children.computeIfAbsent(process.getParentProcessID(), ppid -> new ArrayList<>()).add(process);
      }
    }
    Map<Integer, Ticks> seen = new HashMap<>();
    Map<Long, ProcessUsage> usage = new HashMap<>();
    for (Long rootPid : rootPids) {
      OSProcess root = rootPid > Integer.MAX_VALUE ? null : byPid.get(rootPid.intValue());
      if (root != null && root.getState() != OSProcess.State.ZOMBIE) { // a zombie root is a bot that has exited
        usage.put(rootPid, treeUsage(root, children, now, seen));
      }
    }
    previous = seen; // pids no longer in any tree are forgotten
    return usage;
  }

  private ProcessUsage treeUsage(OSProcess root, Map<Integer, List<OSProcess>> children, long now, Map<Integer, Ticks> seen) {
    double cpu = 0;
    long rss = 0;
    int count = 0;
    Set<Integer> visited = new HashSet<>();
    ArrayDeque<OSProcess> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      OSProcess process = todo.poll();
      if (!visited.add(process.getProcessID())) {
        continue;
      }
      Ticks ticks = new Ticks(process.getStartTime(), process.getKernelTime() + process.getUserTime(), now);
      cpu += cpuPercent(previous.get(process.getProcessID()), ticks);
      seen.put(process.getProcessID(), ticks);
      rss += process.getResidentMemory();
      count++;
      todo.addAll(children.getOrDefault(process.getProcessID(), List.of()));
    }
    return new ProcessUsage(cpu, rss, count);
  }

  /** Percent of one core used since the previous sample of the same process; 0 when first seen. */
  private static double cpuPercent(Ticks before, Ticks now) {
    if (before == null || Math.abs(before.startTime - now.startTime) > START_TIME_TOLERANCE_MS || now.nanos <= before.nanos) {
      return 0;
    }
    double elapsedMs = (now.nanos - before.nanos) / 1e6;
    return Math.max(0, now.cpuMs - before.cpuMs) * 100.0 / elapsedMs;
  }

  private OperatingSystem operatingSystem() {
    if (os == null) {
      os = new SystemInfo().getOperatingSystem();
    }
    return os;
  }

  /** CPU time (kernel + user, ms) of a process at a moment (System.nanoTime). */
  private record Ticks(long startTime, long cpuMs, long nanos) {
  }
}
