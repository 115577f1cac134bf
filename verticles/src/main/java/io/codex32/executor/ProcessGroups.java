package io.codex32.executor;

import java.time.Duration;
import java.util.List;

/** Signals whole process trees. Blocking: call from a worker thread. */
public final class ProcessGroups {

  private ProcessGroups() {
  }

  /**
   * SIGTERM to the process group led by {@code pid} and to every descendant, waits up to
   * {@code grace} for all of them to exit, then SIGKILLs what is left. Returns true when SIGKILL was
   * needed. Returns only when none of them is left.
   */
  public static boolean stop(long pid, Duration grace) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The live processes of the group (read from /proc). */
  public static List<Long> members(long pgid) {
    throw new UnsupportedOperationException("TODO");
  }
}
