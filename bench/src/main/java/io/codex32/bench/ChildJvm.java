package io.codex32.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process the cluster benchmark starts (an edge-node jar, a bare member, the reference server):
 * its working directory under the run's temporary directory (so bench/lib.sh's sweep finds
 * leftovers), stdout and stderr copied line by line to {@code <dir>/../<name>.log} by a reader
 * thread that notes when each line arrived ({@link System#nanoTime()}, the tool's one clock).
 * Every child still alive when the tool exits is killed by a shutdown hook.
 */
final class ChildJvm {

  private static final List<ChildJvm> ALL = new CopyOnWriteArrayList<>();
  /** Lines kept in memory for {@link #awaitLine}; the log file has all of them. */
  private static final int MAX_LINES = 20_000;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(c -> c.process.destroyForcibly())));
  }

  private record Line(long nanos, String text) {
  }

  final String name;
  /** {@link System#nanoTime()} just before the fork. */
  final long launchedNs;
  private final Process process;
  private final Path log;
  private final List<Line> lines = new ArrayList<>();

  private ChildJvm(String name, long launchedNs, Process process, Path log) {
    this.name = name;
    this.launchedNs = launchedNs;
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(String name, List<String> command, Map<String, String> env, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path log = dir.resolveSibling(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    long launched = System.nanoTime();
    ChildJvm child = new ChildJvm(name, launched, builder.start(), log);
    ALL.add(child);
    Thread reader = new Thread(child::copyOutput, name + "-output");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  static List<String> java(List<String> jvmFlags, String... rest) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of(rest));
    return command;
  }

  private void copyOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String text;
      while ((text = in.readLine()) != null) {
        long now = System.nanoTime();
        synchronized (lines) {
          if (lines.size() < MAX_LINES) {
            lines.add(new Line(now, text));
          }
        }
        out.write(text);
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      // the process is gone; its output ends here
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** When the first line containing {@code marker} arrived (nanoTime), waiting up to {@code timeout}. */
  long awaitLine(String marker, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Line line = firstLine(marker);
      if (line != null) {
        return line.nanos();
      }
      if (!process.isAlive()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the reader may still be copying the last lines
        if (firstLine(marker) == null) {
          throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '" + marker + "'; see " + log);
        }
        continue;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not print '" + marker + "' within " + timeout.toSeconds() + " s; see " + log);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /** The text of the first line containing {@code marker}, or null. */
  String lineContaining(String marker) {
    Line line = firstLine(marker);
    return line == null ? null : line.text();
  }

  private Line firstLine(String marker) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.text().contains(marker)).findFirst().orElse(null);
    }
  }

  /** Lines containing {@code text} so far (e.g. blocked-thread warnings). */
  long count(String text) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.text().contains(text)).count();
    }
  }

  /** A field of /proc/&lt;pid&gt;/status in kB (VmRSS, VmHWM), or -1 once the process is gone. */
  long statusKb(String field) {
    return BenchSupport.statusKb(pid(), field);
  }

  /** SIGKILL and wait (up to 30 s) for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, up to 20 s to exit, then SIGKILL. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        System.err.println("cluster-bench: " + name + " did not stop within 20 s after SIGTERM; killing it");
        kill();
      }
    }
  }
}
