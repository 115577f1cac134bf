package io.codex32.executor.saved;

import io.codex32.bot.BotSpec;
import io.codex32.executor.process.ProcessLauncher;
import io.codex32.executor.process.RunningProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bots an earlier executor left on this node: saved on disk, and their processes when they
 * still run (same pid and start time). Blocking: call from a worker thread.
 */
public final class Survivors {

  private static final Logger LOG = LoggerFactory.getLogger(Survivors.class);

  /** A bot on disk, with its process when that is still running (null otherwise). */
  public record Survivor(SavedBots.SavedBot saved, RunningProcess process) {
  }

  private final SavedBots saved;
  private final ProcessLauncher launcher;

  public Survivors(SavedBots saved, ProcessLauncher launcher) {
    this.saved = saved;
    this.launcher = launcher;
  }

  public List<Survivor> find() throws IOException {
    List<Survivor> found = new ArrayList<>();
    for (SavedBots.SavedBot bot : saved.list()) {
      found.add(new Survivor(bot, launcher.adopt(bot.spec().id())));
    }
    return found;
  }

  /** Stops every survivor's process tree instead of adopting it; returns the specs of the bots stopped. */
  public List<BotSpec> stopAll() throws IOException {
    List<BotSpec> stopped = new ArrayList<>();
    for (Survivor survivor : find()) {
      if (survivor.process() == null) {
        continue;
      }
      BotSpec spec = survivor.saved().spec();
      launcher.stop(spec.id(), survivor.process().pid(), Duration.ofMillis(spec.stopTimeoutMs()));
      launcher.forget(spec.id());
      LOG.info("stopped bot {} (pid {}) left running by an earlier executor", spec.id(), survivor.process().pid());
      stopped.add(spec);
    }
    return stopped;
  }
}
