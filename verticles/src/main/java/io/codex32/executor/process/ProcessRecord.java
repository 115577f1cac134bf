package io.codex32.executor.process;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code process.json} a launched bot leaves in its dir: enough to find the very same process
 * again after the executor restarts. A pid alone is not enough (pids are reused), so the start is
 * recorded twice: as the kernel's start ticks with the boot id (exact, when /proc provides them)
 * and as the wall-clock start instant (portable, to the second).
 */
record ProcessRecord(long pid, Instant startTime, long startTicks, String bootId, List<String> command) {

  /** The wall-clock start time is derived from the boot time, which the kernel may report a second off. */
  private static final Duration INSTANT_TOLERANCE = Duration.ofSeconds(1);

  ProcessRecord {
    command = List.copyOf(command);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("pid", pid).put("start_time", startTime.toString()).put("command", new JsonArray(command));
    if (startTicks >= 0 && bootId != null) {
      json.put("start_ticks", startTicks).put("boot_id", bootId);
    }
    return json;
  }

  static ProcessRecord fromJson(JsonObject json) {
    Long pid = json.getLong("pid");
    String start = json.getString("start_time");
    if (pid == null || start == null) {
      throw new IllegalArgumentException("process record without pid or start_time");
    }
    List<String> command = json.getJsonArray("command", new JsonArray()).stream().map(String::valueOf).toList();
    return new ProcessRecord(pid, Instant.parse(start), json.getLong("start_ticks", -1L), json.getString("boot_id"), command);
  }

  /** The record in {@code file}; empty when there is none or it cannot be understood (it is then useless). */
  static Optional<ProcessRecord> read(Path file) {
    try {
      return Optional.of(fromJson(new JsonObject(Files.readString(file))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (DecodeException | IllegalArgumentException | ClassCastException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes to a temporary file and renames it over the record, so a reader (or a crash) never sees
   * half a record. No fsync: after a power loss the process is gone anyway.
   */
  void write(Path file) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, toJson().encode());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Whether the recorded process is still running: same pid, same start, not a zombie. */
  boolean isRunning() {
    Optional<ProcStat> stat = ProcStat.read(pid);
    if (stat.isEmpty() || stat.get().ended()) {
      return false;
    }
    String currentBoot = ProcStat.bootId();
    if (startTicks >= 0 && bootId != null && currentBoot != null) {
      return bootId.equals(currentBoot) && startTicks == stat.get().startTicks();
    }
    return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
        .map(now -> Duration.between(startTime, now).abs().compareTo(INSTANT_TOLERANCE) < 0)
        .orElse(false);
  }
}
