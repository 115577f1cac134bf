package io.codex32.executor.process;

import io.codex32.bot.BotSpec;
import io.codex32.error.Codex32Exception;
import io.codex32.executor.settings.BotPaths;
import io.codex32.executor.settings.ExecutorSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts bot processes on this node, and finds them again after an executor restart. Blocking:
 * call from a worker thread.
 *
 * <p>A bot runs as {@code /usr/bin/setsid <executable> <args...>}, no shell involved (in a cgroup,
 * a fixed {@code /bin/sh -c} prologue first moves the process into it; see {@link BotCgroups}). A child of the
 * JVM is not a process group leader, so setsid makes the session without forking and then execs the
 * bot: the pid we get is the bot's, and it leads its own session and process group (pgid = pid),
 * which is what lets {@link ProcessGroups#stop} reach the whole tree. The bot writes its stdout and
 * stderr straight into its log files, so nothing is lost, and nothing blocks, when the executor is
 * away.
 */
public final class ProcessLauncher {

  static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final String SHELL = "/bin/sh";

  /** How long a new bot may take to call setsid() (it does so right after exec). */
  private static final long SESSION_WAIT_NANOS = 2_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);
  private static final File DEV_NULL = new File("/dev/null");
  /** Grace for a process that started but could not be recorded: it never ran as far as anyone knows. */
  private static final Duration UNRECORDED_GRACE = Duration.ofSeconds(1);

  private final ExecutorSettings settings;
  private final BotPaths paths;
  private final CommandPolicy commands;
  private final Map<String, String> gatewayEnv;
  private final BotCgroups cgroups;

  /** Bots in no cgroup. */
  public ProcessLauncher(ExecutorSettings settings) {
    this(settings, System.getenv(), BotCgroups.none());
  }

  public ProcessLauncher(ExecutorSettings settings, BotCgroups cgroups) {
    this(settings, System.getenv(), cgroups);
  }

  ProcessLauncher(ExecutorSettings settings, Map<String, String> gatewayEnv, BotCgroups cgroups) {
    this.settings = settings;
    this.paths = settings.paths();
    this.commands = new CommandPolicy(settings);
    this.gatewayEnv = Map.copyOf(gatewayEnv);
    this.cgroups = cgroups;
  }

  public BotCgroups cgroups() {
    return cgroups;
  }

  /**
   * Validates the command (allow-list, fixed search path), the workdir (inside the bot dir) and
   * starts the process in its own session with a clean environment; stdout and stderr are
   * appended to the bot's log files; the pid and start time are recorded in process.json.
   * Fails with Codex32Exception 422 {@code command_not_allowed}, {@code command_not_found},
   * {@code workdir_outside_bot_dir}, {@code workdir_not_a_directory}, {@code invalid_env}, 409
   * {@code bot_already_running} (its recorded process still runs), or 503 {@code launch_failed}.
   */
  public RunningProcess launch(BotSpec spec, String botToken) {
    String botId = spec.id();
    Path executable = commands.resolve(spec.command().get(0));
    Path botDir = prepareDirs(botId);
    refuseSecondCopy(botId);
    Path workdir = BotWorkdir.resolve(botDir, spec.workdir());
    ProcessBuilder builder = builder(spec, executable, workdir, cgroupOf(spec));
    Map<String, String> env = BotEnvironment.of(spec, botToken, botDir, commands.pathVariable(), settings, gatewayEnv);
    try {
      builder.environment().clear();
      builder.environment().putAll(env);
    } catch (IllegalArgumentException e) {
      throw Codex32Exception.unprocessable("invalid_env", "env of bot '" + botId + "' has an invalid variable: " + e.getMessage());
    }
    Process process = start(botId, builder);
    awaitOwnSession(process);
    Instant startedAt = process.info().startInstant().orElseGet(Instant::now);
    record(botId, process, startedAt, builder.command());
    LOG.info("bot {} started as pid {}: {}", botId, process.pid(), builder.command());
    return BotProcess.launched(botId, process, startedAt);
  }

  /** The bot's recorded process if it is still that same process (pid and start time match), else null. */
  public RunningProcess adopt(String botId) {
    Path file = paths.processRecord(botId);
    Optional<ProcessRecord> record = ProcessRecord.read(file);
    if (record.isPresent() && record.get().isRunning()) {
      long pid = record.get().pid();
      Optional<ProcStat> stat = ProcStat.read(pid);
      if (stat.isPresent()) {
        return BotProcess.adopted(botId, pid, record.get().startTime(), AdoptedExitWatcher.watch(pid, stat.get().startTicks()));
      }
    }
    forget(botId);
    return null;
  }

  /** The bot's process group, its descendants and everything in its cgroup: SIGTERM, grace, SIGKILL; true when it needed SIGKILL. */
  public boolean stop(String botId, long pid, Duration grace) {
    return ProcessGroups.stop(pid, grace, () -> cgroups.members(botId));
  }

  /** Forgets the process record (after the process ended). */
  public void forget(String botId) {
    try {
      Files.deleteIfExists(paths.processRecord(botId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the process record of bot " + botId, e);
    }
  }

  private Path prepareDirs(String botId) {
    try {
      Files.createDirectories(paths.logsDir(botId));
      return paths.botDir(botId).toRealPath();
    } catch (IOException e) {
      throw Codex32Exception.unavailable("launch_failed", "cannot create the directory of bot '" + botId + "': " + e, e);
    }
  }

  /** A bot never runs twice: a previous copy that is still running must be adopted or stopped first. */
  private void refuseSecondCopy(String botId) {
    Optional<ProcessRecord> previous = ProcessRecord.read(paths.processRecord(botId));
    if (previous.isPresent() && previous.get().isRunning()) {
      throw Codex32Exception.conflict("bot_already_running", "bot '" + botId + "' still runs as pid " + previous.get().pid()
          + "; adopt or stop it first");
    }
  }

  private Path cgroupOf(BotSpec spec) {
    try {
      return cgroups.prepare(spec.id(), spec.resources());
    } catch (IOException e) {
      throw Codex32Exception.unavailable("launch_failed", "cannot create the cgroup of bot '" + spec.id() + "': " + e, e);
    }
  }

  /**
   * In a cgroup, the first process puts itself into the bot's {@code cgroup.procs} and then execs
   * setsid (same pid), so even what the bot forks at once is inside. The shell gets the bot's argv
   * only as "$@": nothing of it is parsed.
   */
  private ProcessBuilder builder(BotSpec spec, Path executable, Path workdir, Path cgroupProcs) {
    List<String> argv = new ArrayList<>();
    if (cgroupProcs != null) {
      argv.addAll(List.of(SHELL, "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroupProcs.toString()));
    }
    argv.add(SETSID.toString());
    argv.add(executable.toString());
    argv.addAll(spec.command().subList(1, spec.command().size()));
    return new ProcessBuilder(argv)
        .directory(workdir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.stdout(spec.id()).toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(paths.stderr(spec.id()).toFile()));
  }

  private static Process start(String botId, ProcessBuilder builder) {
    if (!Files.isExecutable(SETSID)) {
      throw Codex32Exception.unavailable("launch_failed", "cannot start bot '" + botId + "': " + SETSID
          + " (util-linux) is missing on this node", null);
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw Codex32Exception.unavailable("launch_failed", "cannot start bot '" + botId + "': " + e.getMessage(), e);
    }
  }

  /**
   * Between fork and setsid() the child still sits in the JVM's process group; signalling "its"
   * group in that window would miss it. Returns once it leads its own group (or has ended).
   */
  private static void awaitOwnSession(Process process) {
    long deadline = System.nanoTime() + SESSION_WAIT_NANOS;
    while (System.nanoTime() < deadline) {
      Optional<ProcStat> stat = ProcStat.read(process.pid());
      if (stat.isEmpty() || stat.get().ended() || stat.get().pgrp() == process.pid()) {
        return;
      }
      LockSupport.parkNanos(1_000_000);
    }
    LOG.warn("process {} did not become a session leader within {} ms", process.pid(), SESSION_WAIT_NANOS / 1_000_000);
  }

  /** An unrecorded process could never be adopted, so it could run twice: better not run at all. */
  private void record(String botId, Process process, Instant startedAt, List<String> command) {
    long ticks = ProcStat.read(process.pid()).map(ProcStat::startTicks).orElse(-1L);
    try {
      new ProcessRecord(process.pid(), startedAt, ticks, ProcStat.bootId(), command).write(paths.processRecord(botId));
    } catch (UncheckedIOException e) {
      ProcessGroups.stop(process.pid(), UNRECORDED_GRACE);
      throw Codex32Exception.unavailable("launch_failed", "bot '" + botId + "' was stopped: " + e.getMessage(), e);
    }
  }
}
