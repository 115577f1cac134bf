package io.codex32.executor.process;

import io.codex32.bot.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cgroup v2 per bot, under a cgroup of this executor's own: {@code <own cgroup>/codex32-<hash of
 * data dir>/<bot id>}. Every process a bot forks stays in its cgroup whatever it does with sessions
 * and process groups, so stopping a bot finds all of them, and what a bot leaves behind when its main
 * process exits is killed. Where the memory and cpu controllers are delegated to us, the bot's
 * {@code resources} also become {@code memory.max} and {@code cpu.max}, enforced by the kernel.
 *
 * <p>Everything is best effort and explained in the log: without a writable cgroup v2 hierarchy
 * (cgroup v1 hosts, unprivileged containers) bots run as before, tracked by process group and
 * parentage, quotas enforced by sampling. Blocking: call from a worker thread.
 */
public final class BotCgroups {

  /** Quotas are enforced by sampling CPU and memory (always on). */
  public static final String SAMPLING = "sampling";
  /** The kernel enforces memory.max/cpu.max, and sampling still reports {@code quota_exceeded} first where it can. */
  public static final String CGROUP = "cgroup";

  private static final Logger LOG = LoggerFactory.getLogger(BotCgroups.class);
  private static final long CPU_PERIOD_US = 100_000;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  /** The leaf a delegated service moves itself into, so that its cgroup may hand controllers to the bots'. */
  private static final String GATEWAY_LEAF = "codex32-gateway";
  private static final BotCgroups NONE = new BotCgroups(null, false, false);

  private final Path root;
  private final boolean memory;
  private final boolean cpu;

  private BotCgroups(Path root, boolean memory, boolean cpu) {
    this.root = root;
    this.memory = memory;
    this.cpu = cpu;
  }

  /** Bots are not put in cgroups. */
  public static BotCgroups none() {
    return NONE;
  }

  /** Sets up this executor's cgroup under the process's own cgroup v2, or {@link #none()} when that cannot be done. */
  public static BotCgroups detect(Path dataDir) {
    return detect(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"), dataDir);
  }

  static BotCgroups detect(Path mountinfo, Path procCgroup, Path dataDir) {
    try {
      Optional<Path> mount = cgroup2Mount(mountinfo);
      Optional<String> own = ownCgroup(procCgroup);
      if (mount.isEmpty() || own.isEmpty()) {
        LOG.info("no cgroup v2 hierarchy: bots are tracked by process group, quotas enforced by sampling");
        return NONE;
      }
      Path base = mount.get().resolve(own.get().substring(1));
      if (base.getFileName() != null && base.getFileName().toString().equals(GATEWAY_LEAF)) {
        // we (an earlier run) or systemd's DelegateSubgroup= put this process in its leaf: delegate from its parent
        base = base.getParent();
      }
      Path root = base.resolve("codex32-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode()));
      Files.createDirectories(root);
      if (!Files.isWritable(root.resolve("cgroup.procs"))) {
        LOG.info("cgroup {} is not writable: bots are tracked by process group, quotas enforced by sampling", root);
        return NONE;
      }
      Set<String> delegated = delegate(mount.get(), base, root);
      BotCgroups cgroups = new BotCgroups(root, delegated.contains("memory"), delegated.contains("cpu"));
      LOG.info("bots run in cgroups under {}; kernel-enforced limits: {}", root, delegated.isEmpty() ? "none (controllers "
          + "memory and cpu are not delegated here), quotas enforced by sampling" : delegated);
      return cgroups;
    } catch (IOException | RuntimeException e) {
      LOG.info("cannot use cgroup v2 ({}): bots are tracked by process group, quotas enforced by sampling", e.toString());
      return NONE;
    }
  }

  /**
   * Enables memory and cpu for the bots' cgroups where the hierarchy offers them. cgroup v2 lets a
   * non-root cgroup hand controllers to its children only while it holds no process itself, so a
   * delegated service (systemd {@code Delegate=yes}) first moves itself into a leaf of its own.
   */
  private static Set<String> delegate(Path mount, Path base, Path root) throws IOException {
    Set<String> wanted = words(base.resolve("cgroup.controllers"));
    wanted.retainAll(Set.of("memory", "cpu"));
    if (wanted.isEmpty()) {
      return Set.of();
    }
    String enable = wanted.stream().sorted().map(c -> "+" + c).collect(Collectors.joining(" "));
    if (!base.equals(mount) && !words(base.resolve("cgroup.subtree_control")).containsAll(wanted)) {
      Path leaf = base.resolve(GATEWAY_LEAF);
      Files.createDirectories(leaf);
      Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
      Files.writeString(base.resolve("cgroup.subtree_control"), enable);
    }
    Files.writeString(root.resolve("cgroup.subtree_control"), enable);
    return words(root.resolve("cgroup.subtree_control"));
  }

  /** Whether bots run in cgroups at all. */
  public boolean enabled() {
    return root != null;
  }

  /** How this node enforces a bot's {@code resources}: {@link #CGROUP} or {@link #SAMPLING}. */
  public String enforcement() {
    return memory || cpu ? CGROUP : SAMPLING;
  }

  /**
   * Creates the bot's cgroup with its limits and returns its {@code cgroup.procs}: the launcher
   * makes the bot's first process write itself there before it execs, so nothing escapes. Null
   * when bots do not run in cgroups.
   */
  Path prepare(String botId, Resources resources) throws IOException {
    if (root == null) {
      return null;
    }
    Path dir = root.resolve(botId);
    Files.createDirectories(dir);
    if (memory) {
      Files.writeString(dir.resolve("memory.max"), memoryMax(resources));
    }
    if (cpu) {
      Files.writeString(dir.resolve("cpu.max"), cpuMax(resources));
    }
    return dir.resolve("cgroup.procs");
  }

  /** The live processes in the bot's cgroup (empty when it has none). */
  public Set<Long> members(String botId) {
    if (root == null) {
      return Set.of();
    }
    try {
      return Files.readAllLines(root.resolve(botId).resolve("cgroup.procs"), StandardCharsets.US_ASCII).stream()
          .filter(line -> !line.isBlank()).map(Long::parseLong).collect(Collectors.toCollection(LinkedHashSet::new));
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      LOG.warn("cannot read the cgroup of bot {}: {}", botId, e.toString());
      return Set.of();
    }
  }

  /**
   * SIGKILLs whatever is still in the bot's cgroup: what it left behind when its main process
   * ended. Returns the number of processes killed. The cgroup itself stays for the next run.
   */
  public int killLeftovers(String botId) {
    Set<Long> left = members(botId);
    if (!left.isEmpty()) {
      Path kill = root.resolve(botId).resolve("cgroup.kill");
      try {
        if (Files.exists(kill)) {
          Files.writeString(kill, "1");
        } else {
          left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
      } catch (IOException e) {
        LOG.warn("cannot kill what bot {} left behind: {}", botId, e.toString());
      }
      long deadline = System.nanoTime() + KILL_WAIT.toNanos();
      while (!members(botId).isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      LOG.info("killed {} process(es) bot {} left behind: {}", left.size(), botId, left);
    }
    return left.size();
  }

  /** Removes the bot's cgroup when it is empty (the bot was removed from this node). */
  public void release(String botId) {
    if (root == null) {
      return;
    }
    try {
      Files.deleteIfExists(root.resolve(botId));
    } catch (IOException e) {
      LOG.debug("cgroup of bot {} not removed: {}", botId, e.toString());
    }
  }

  /**
   * When the executor stops: removes the cgroups of bots that no longer run, and this executor's
   * own when none is left (bots still running keep theirs, for the next executor to adopt).
   */
  public void releaseIdle() {
    if (root == null) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(Files::isDirectory).forEach(dir -> release(dir.getFileName().toString()));
      Files.deleteIfExists(root);
    } catch (IOException e) {
      LOG.debug("cgroup {} kept: {}", root, e.toString());
    }
  }

  /** {@code max} unless the bot has a memory limit (in bytes). */
  static String memoryMax(Resources resources) {
    return resources == null || resources.maxMemoryMb() == null ? "max" : Long.toString(resources.maxMemoryMb() * 1024L * 1024L);
  }

  /** {@code "<quota> <period>"} in microseconds; 100 % is one core. */
  static String cpuMax(Resources resources) {
    return resources == null || resources.maxCpuPercent() == null ? "max " + CPU_PERIOD_US
        : resources.maxCpuPercent() * CPU_PERIOD_US / 100 + " " + CPU_PERIOD_US;
  }

  /** The mount point of the cgroup2 file system (field 5 of the line whose type after " - " is cgroup2). */
  static Optional<Path> cgroup2Mount(Path mountinfo) throws IOException {
    for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
      int dash = line.indexOf(" - ");
      String[] fields = line.split(" ");
      if (dash > 0 && line.substring(dash + 3).startsWith("cgroup2 ") && fields.length > 4) {
        return Optional.of(Path.of(fields[4]));
      }
    }
    return Optional.empty();
  }

  /** This process's cgroup v2 path (the {@code 0::} line), e.g. {@code /system.slice/codex32.service}. */
  static Optional<String> ownCgroup(Path procCgroup) throws IOException {
    return Files.readAllLines(procCgroup, StandardCharsets.UTF_8).stream()
        .filter(line -> line.startsWith("0::/")).map(line -> line.substring(3)).findFirst();
  }

  private static Set<String> words(Path file) throws IOException {
    return Files.exists(file) ? new HashSet<>(Arrays.asList(Files.readString(file).trim().split("\\s+"))) : new HashSet<>();
  }
}
