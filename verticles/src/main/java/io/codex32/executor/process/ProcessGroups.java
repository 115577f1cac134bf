package io.codex32.executor.process;

import io.codex32.error.Codex32Exception;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signals whole process trees. Blocking: call from a worker thread. */
public final class ProcessGroups {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);
  private static final String KILL = "/bin/kill";
  private static final Duration POLL = Duration.ofMillis(25);
  /** How long SIGKILLed processes may take to disappear before stop gives up. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** A tree still growing after this many SIGSTOP rounds is a fork bomb; it is then signalled as it is. */
  private static final int MAX_FREEZE_ROUNDS = 10;

  private ProcessGroups() {
  }

  /**
   * SIGTERM to the process group led by {@code pid} and to every descendant, waits up to
   * {@code grace} for all of them to exit, then SIGKILLs what is left. Returns true when SIGKILL was
   * needed. Returns only when none of them is left; fails with 503 {@code stop_failed} when some
   * survive even SIGKILL for a few seconds (e.g. stuck in uninterruptible I/O).
   */
  public static boolean stop(long pid, Duration grace) {
    return stop(pid, grace, Set::of);
  }

  /** As {@link #stop(long, Duration)}, also reaching every process {@code cgroupMembers} lists at each scan. */
  public static boolean stop(long pid, Duration grace, Supplier<Set<Long>> cgroupMembers) {
    guard(pid);
    ProcessTree tree = new ProcessTree(pid, cgroupMembers);
    tree.freeze();
    tree.signal("TERM");
    // A stopped process only acts on SIGTERM once continued.
    tree.signal("CONT");
    if (tree.awaitEmpty(grace, null)) {
      return false;
    }
    tree.freeze();
    tree.signal("KILL");
    if (!tree.awaitEmpty(KILL_WAIT, "KILL")) {
      throw Codex32Exception.unavailable("stop_failed", "processes " + tree.live().keySet() + " of process group " + pid
          + " survived SIGKILL", null);
    }
    return true;
  }

  /** The live processes of the group (read from /proc); zombies count as ended. */
  public static List<Long> members(long pgid) {
    return ProcStat.all().stream().filter(s -> s.pgrp() == pgid && !s.ended()).map(ProcStat::pid).sorted().toList();
  }

  /**
   * Signalling the executor's own group (or pid 0/1, which kill(1) reads as "every process") would
   * take the gateway down with the bot; no bot can legitimately have those ids.
   */
  private static void guard(long pid) {
    ProcessHandle self = ProcessHandle.current();
    long ownGroup = ProcStat.read(self.pid()).map(ProcStat::pgrp).orElse(-1L);
    if (pid <= 1 || pid == self.pid() || pid == ownGroup) {
      throw new IllegalArgumentException("refusing to signal process group " + pid + ": it is not a bot's");
    }
  }

  /**
   * A bot's processes as seen in /proc: its group, plus every descendant (some leave the group with
   * setsid or setpgid). Each is remembered with its start ticks, so that a pid reused by an
   * unrelated process after ours ended is never taken for ours.
   */
  private static final class ProcessTree {

    private final long pgid;
    private final Supplier<Set<Long>> cgroupMembers;
    private final Map<Long, Long> known = new HashMap<>();
    private Map<Long, ProcStat> live = Map.of();
    private boolean first = true;

    ProcessTree(long pgid, Supplier<Set<Long>> cgroupMembers) {
      this.pgid = pgid;
      this.cgroupMembers = cgroupMembers;
    }

    Map<Long, ProcStat> live() {
      return live;
    }

    /** Rescans /proc: keeps known processes still running and adds new members and children of live ones. */
    void refresh() {
      Set<Long> inCgroup = cgroupMembers.get();
      List<ProcStat> all = ProcStat.all();
      Map<Long, List<ProcStat>> children = new HashMap<>();
      Map<Long, ProcStat> next = new HashMap<>();
      for (ProcStat stat : all) {
        children.computeIfAbsent(stat.ppid(), k -> new ArrayList<>()).add(stat);
        Long ticks = known.get(stat.pid());
        boolean ours = stat.pgrp() == pgid || inCgroup.contains(stat.pid())
            || (ticks != null ? ticks == stat.startTicks() : first && stat.pid() == pgid);
        if (ours) {
          next.put(stat.pid(), stat);
        }
      }
      // Descendants of our processes, however deep, even when they left the group.
      List<ProcStat> queue = new ArrayList<>(next.values());
      while (!queue.isEmpty()) {
        ProcStat parent = queue.remove(queue.size() - 1);
        for (ProcStat child : children.getOrDefault(parent.pid(), List.of())) {
          if (next.putIfAbsent(child.pid(), child) == null) {
            queue.add(child);
          }
        }
      }
      next.values().forEach(stat -> known.putIfAbsent(stat.pid(), stat.startTicks()));
      next.values().removeIf(ProcStat::ended);
      live = next;
      first = false;
    }

    /**
     * SIGSTOPs the tree until it stops growing. A stopped process cannot fork, so a child forked
     * between a scan and a signal (which might leave the group with setsid before the group signal
     * arrives, and lose its parent before the next scan) cannot escape.
     */
    void freeze() {
      Set<Long> seen = Set.of();
      for (int round = 0; round < MAX_FREEZE_ROUNDS; round++) {
        refresh();
        if (seen.containsAll(live.keySet())) {
          return;
        }
        seen = Set.copyOf(live.keySet());
        signal("STOP");
      }
    }

    /** The whole group at once (catches processes forked meanwhile), and each known process, in one kill(1). */
    void signal(String signal) {
      if (live.isEmpty()) {
        return;
      }
      List<String> command = new ArrayList<>(List.of(KILL, "-" + signal, "--"));
      if (live.values().stream().anyMatch(s -> s.pgrp() == pgid)) {
        command.add("-" + pgid);
      }
      live.keySet().forEach(pid -> command.add(Long.toString(pid)));
      try {
        // Exits non-zero when some target is already gone, which is fine.
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS)) {
          kill.destroyForcibly();
        }
      } catch (IOException e) {
        LOG.warn("could not run {}: {}; signalling process by process", KILL, e.getMessage());
        signalEach(signal);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Without kill(1): TERM and KILL through ProcessHandle (which has no STOP or CONT). */
    private void signalEach(String signal) {
      for (long pid : live.keySet()) {
        ProcessHandle.of(pid).ifPresent(handle -> {
          if ("KILL".equals(signal)) {
            handle.destroyForcibly();
          } else if ("TERM".equals(signal)) {
            handle.destroy();
          }
        });
      }
    }

    /** Polls until no process is left or the time is up; with {@code resend}, signals newcomers again on each poll. */
    boolean awaitEmpty(Duration timeout, String resend) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        refresh();
        if (live.isEmpty()) {
          return true;
        }
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        if (resend != null) {
          signal(resend);
        }
        LockSupport.parkNanos(Math.min(POLL.toNanos(), Math.max(0, deadline - System.nanoTime())));
      }
    }
  }
}
