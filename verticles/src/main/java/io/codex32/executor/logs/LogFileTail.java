package io.codex32.executor.logs;

import io.codex32.executor.logs.LineSplitter.RawLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Follows one log file a bot appends to (O_APPEND) and keeps it under its size cap by copytruncate.
 * Used by one thread at a time (the {@link BotLogs} poller); the counters are only read elsewhere.
 */
final class LogFileTail {

  /**
   * Bytes read per pass at most, so one flooding bot cannot hold the poller for long (scanning is
   * cheap: only the lines that reach the ring are decoded). Only a writer faster than this per pass
   * loses bytes at a rotation.
   */
  private final long readCap;
  private final Path path;
  private final String stream;
  private final LogLimits limits;
  private final LineSplitter splitter;
  private long offset;
  private volatile long skippedBytes;
  private volatile long rotations;

  LogFileTail(Path path, String stream, LogLimits limits) {
    this.path = path;
    this.stream = stream;
    this.limits = limits;
    this.splitter = new LineSplitter(limits.maxLineBytes());
    this.readCap = Math.max(4 * limits.maxFileBytes(), 4L << 20);
  }

  String stream() {
    return stream;
  }

  long offset() {
    return offset;
  }

  /** Continues reading at {@code position} (used to skip what a file held when following began). */
  void skipTo(long position) {
    offset = Math.max(0, position);
  }

  long skippedBytes() {
    return skippedBytes;
  }

  long rotations() {
    return rotations;
  }

  /**
   * Reads what was appended since the last pass into {@code sink} and rotates the file when it has
   * reached {@link LogLimits#rotateAtBytes()}. Returns true when the file is written fast (read cap
   * reached, grown by more than 1/8 of the cap, or rotated), so the caller should look again soon.
   */
  boolean poll(ByteBuffer buffer, Consumer<RawLine> sink) throws IOException {
    long size;
    try {
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      offset = 0; // not written yet, or removed: a file that appears later is read from its start
      return false;
    }
    if (size < offset) {
      offset = 0; // truncated by someone else: what is there now is new
    }
    long start = offset;
    long budgetEnd = offset + readCap;
    if (size > offset) {
      read(buffer, Math.min(size, budgetEnd), sink);
    }
    // grew by more than the headroom between rotation start and cap: at this rate the next regular
    // pass could find it far past the cap, so look again soon
    boolean fast = offset < size || offset - start > limits.maxFileBytes() - limits.rotateAtBytes();
    if (size >= limits.rotateAtBytes()) {
      rotate(buffer, budgetEnd, sink);
      return true;
    }
    return fast;
  }

  /** Reads to the current end once more and emits a partial last line: the writer is done. */
  void drain(ByteBuffer buffer, Consumer<RawLine> sink) throws IOException {
    poll(buffer, sink);
    splitter.flush(sink);
  }

  private long read(ByteBuffer buffer, long end, Consumer<RawLine> sink) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return read(channel, buffer, end, sink);
    }
  }

  private long read(FileChannel channel, ByteBuffer buffer, long end, Consumer<RawLine> sink) throws IOException {
    while (offset < end) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), end - offset));
      int n = channel.read(buffer, offset);
      if (n <= 0) {
        break;
      }
      splitter.feed(buffer.array(), 0, n, sink);
      offset += n;
    }
    return offset;
  }

  /**
   * copytruncate: the writer keeps its descriptor (O_APPEND), so after the truncate its next write
   * lands at the new end, 0. What was appended meanwhile is read (within the pass's budget) just
   * before the truncate; bytes written in that last instant, or beyond the budget, are lost to the
   * ring and bus and counted in {@link #skippedBytes()}.
   */
  private void rotate(ByteBuffer buffer, long budgetEnd, Consumer<RawLine> sink) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long length = channel.size();
      if (limits.keptGenerations() > 0) {
        shiftGenerations();
        copyNewest(channel, length, buffer);
      }
      read(channel, buffer, Math.min(channel.size(), budgetEnd), sink);
      long truncatedAt = channel.size();
      channel.truncate(0);
      if (truncatedAt > offset) {
        skippedBytes += truncatedAt - offset;
        splitter.flush(sink); // its continuation was among the skipped bytes
      }
      offset = 0;
      rotations++;
    }
  }

  /** {@code .1 -> .2 -> ... -> .kept}; the oldest is replaced. */
  private void shiftGenerations() throws IOException {
    for (int g = limits.keptGenerations(); g >= 2; g--) {
      Path older = generation(g - 1);
      if (Files.exists(older)) {
        Files.move(older, generation(g), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * Copies the file into {@code .1}, whole when it is within the cap (the usual case: rotation
   * starts at 7/8 of the cap). A flood that pushed it past the cap within one pass keeps only the
   * newest {@code maxFileBytes}, from a line start, so no generation ever exceeds the cap.
   */
  private void copyNewest(FileChannel channel, long length, ByteBuffer buffer) throws IOException {
    long start = length <= limits.maxFileBytes() ? 0 : lineStartFrom(channel, length - limits.maxFileBytes(), length, buffer);
    try (FileChannel copy = FileChannel.open(generation(1), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long position = start;
      while (position < length) {
        long n = channel.transferTo(position, length - position, copy);
        if (n <= 0) {
          break;
        }
        position += n;
      }
    }
  }

  private static long lineStartFrom(FileChannel channel, long from, long length, ByteBuffer buffer) throws IOException {
    buffer.clear();
    buffer.limit((int) Math.min(buffer.capacity(), length - from));
    int n = channel.read(buffer, from);
    for (int i = 0; i < n; i++) {
      if (buffer.get(i) == '\n') {
        return from + i + 1;
      }
    }
    return from;
  }

  Path generation(int g) {
    return path.resolveSibling(path.getFileName() + "." + g);
  }
}
