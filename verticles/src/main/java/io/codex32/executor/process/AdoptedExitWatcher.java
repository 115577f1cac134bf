package io.codex32.executor.process;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices when an adopted process (not our child, so it cannot be waited for) has ended, by polling
 * /proc. Not ProcessHandle.onExit(): for a non-child it sleeps in a thread per process, backing off
 * up to 5 s between checks, and counts a zombie as alive, which it stays forever under a PID 1 that
 * does not reap. One shared daemon thread serves every adopted bot.
 */
final class AdoptedExitWatcher {

  static final long POLL_MS = 200;

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "codex32-adopted-exit");
    thread.setDaemon(true);
    return thread;
  });

  private AdoptedExitWatcher() {
  }

  /** Completes (with an unknown exit status) once the process that has {@code startTicks} is gone. */
  static CompletableFuture<ExitStatus> watch(long pid, long startTicks) {
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    ScheduledFuture<?> poll = TIMER.scheduleWithFixedDelay(() -> {
      Optional<ProcStat> stat = ProcStat.read(pid);
      if (stat.isEmpty() || stat.get().ended() || stat.get().startTicks() != startTicks) {
        exit.complete(new ExitStatus(null, null));
      }
    }, 0, POLL_MS, TimeUnit.MILLISECONDS);
    exit.whenComplete((status, failure) -> poll.cancel(false));
    return exit;
  }
}
