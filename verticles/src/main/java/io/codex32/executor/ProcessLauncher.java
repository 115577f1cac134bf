package io.codex32.executor;

import io.codex32.bot.BotSpec;

/**
 * Starts bot processes on this node, and finds them again after an executor restart. Blocking:
 * call from a worker thread.
 */
public final class ProcessLauncher {

  public ProcessLauncher(ExecutorSettings settings) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Validates the command (allow-list, fixed search path), the workdir (inside the bot dir) and
   * starts the process in its own session with a clean environment; stdout and stderr are
   * appended to the bot's log files; the pid and start time are recorded in process.json.
   * Fails with Codex32Exception 422 {@code command_not_allowed}, {@code command_not_found},
   * {@code workdir_outside_bot_dir}, or 503 {@code launch_failed}.
   */
  public RunningProcess launch(BotSpec spec, String botToken) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The bot's recorded process if it is still that same process (pid and start time match), else null. */
  public RunningProcess adopt(String botId) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Forgets the process record (after the process ended). */
  public void forget(String botId) {
    throw new UnsupportedOperationException("TODO");
  }
}
