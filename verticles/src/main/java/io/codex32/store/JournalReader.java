package io.codex32.store;

import io.codex32.error.Codex32Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a journal at start-up. A bad record with nothing valid after it is what a crash in the
 * middle of an append leaves behind (that write was never acknowledged), so it is dropped. A bad
 * record followed by valid ones is damage to acknowledged data, and replay refuses to guess.
 */
final class JournalReader {

  private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

  /** {@code validLength}: bytes up to the end of the last good record; the file is truncated there when shorter. */
  record Replay(long validLength, long records) {
  }

  private JournalReader() {
  }

  /**
   * Feeds every good record to {@code sink} in file order.
   *
   * @throws Codex32Exception 503 {@code store_corrupted} when a bad record is followed by a good one
   */
  static Replay replay(Path journal, Consumer<JournalRecord> sink) throws IOException {
    if (!Files.exists(journal)) {
      return new Replay(0, 0);
    }
    try (Lines lines = new Lines(Files.newInputStream(journal))) {
      long records = 0;
      while (lines.next()) {
        long start = lines.start;
        String problem = lines.problem();
        if (problem != null) {
          failIfValidRecordFollows(journal, lines, start, problem);
          LOG.warn("Dropping torn record at the end of {} (byte offset {}, {} bytes: {}); the write it held was never acknowledged",
              journal.toAbsolutePath(), start, lines.end - start, problem);
          return new Replay(start, records);
        }
        sink.accept(lines.record);
        records++;
      }
      return new Replay(lines.end, records);
    }
  }

  private static void failIfValidRecordFollows(Path journal, Lines lines, long badOffset, String problem) throws IOException {
    while (lines.next()) {
      if (lines.problem() == null) {
        throw Codex32Exception.unavailable("store_corrupted", "journal " + journal.toAbsolutePath() + " is corrupt at byte offset "
            + badOffset + " (" + problem + ") and holds valid records after it (next at byte offset " + lines.start
            + "); refusing to start rather than silently drop acknowledged writes. Restore the file from a backup, or truncate"
            + " it at offset " + badOffset + " if losing everything after that point is acceptable", null);
      }
    }
  }

  /** Splits the stream at '\n', remembering each line's byte offset. */
  private static final class Lines implements AutoCloseable {

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLimit;
    private byte[] buf = new byte[4096];
    private int len;
    private boolean terminated;
    private long start;
    private long end;
    private JournalRecord record;

    Lines(InputStream in) {
      this.in = in;
    }

    /** Reads the next line; false at end of file. */
    boolean next() throws IOException {
      start = end;
      len = 0;
      terminated = false;
      record = null;
      int b;
      while ((b = read()) >= 0) {
        end++;
        if (b == '\n') {
          terminated = true;
          return true;
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
      }
      return len > 0;
    }

    private int read() throws IOException {
      if (chunkPos == chunkLimit) {
        chunkLimit = in.read(chunk);
        chunkPos = 0;
        if (chunkLimit <= 0) {
          chunkLimit = 0;
          return -1;
        }
      }
      return chunk[chunkPos++] & 0xff;
    }

    /** Decodes the current line; returns what is wrong with it, or null when {@link #record} is good. */
    String problem() {
      if (!terminated) {
        return "no trailing newline";
      }
      try {
        record = JournalRecord.decode(buf, len);
        return null;
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
