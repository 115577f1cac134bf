package io.codex32.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the executor needs. {@code startTicks} (field 22, clock
 * ticks after boot) identifies a process exactly: together with the pid and the boot id it cannot
 * be reused, unlike the wall-clock start instant, which moves when the clock is adjusted.
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long session, long startTicks) {

  private static final Path PROC = Path.of("/proc");
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  /** A zombie (or dead) process has ended; it only waits for its parent to reap it. */
  public boolean ended() {
    return state == 'Z' || state == 'X' || state == 'x';
  }

  /** The process as it is now; empty when it does not exist. */
  public static Optional<ProcStat> read(long pid) {
    try {
      String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
      return Optional.ofNullable(parse(pid, line));
    } catch (IOException e) {
      // The process vanished between listing and reading (ESRCH), or /proc is not readable: both mean "not there".
      return Optional.empty();
    }
  }

  /** Every process visible in /proc, zombies included. */
  static List<ProcStat> all() {
    List<ProcStat> stats = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcStat::isPidDir)) {
      for (Path entry : entries) {
        read(Long.parseLong(entry.getFileName().toString())).ifPresent(stats::add);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return stats;
  }

  /**
   * Parses one stat line. The command name (field 2) is in parentheses and may itself contain
   * spaces and parentheses, so the fixed fields are read after the LAST ')'.
   */
  static ProcStat parse(long pid, String line) {
    int close = line.lastIndexOf(')');
    if (close < 0 || close + 2 >= line.length()) {
      return null;
    }
    String[] fields = line.substring(close + 2).trim().split(" ");
    // fields[0] is field 3 (state); field n is at index n - 3.
    if (fields.length < 20 || fields[0].isEmpty()) {
      return null;
    }
    try {
      return new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
          Long.parseLong(fields[19]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** This boot's random id, or null where the kernel does not expose it. */
  static String bootId() {
    try {
      return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isPidDir(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }
}
