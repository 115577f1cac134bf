package io.codex32.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends records to the journal and rewrites it during compaction. Used by exactly one thread at
 * a time (the store's writer thread, or the opener before that thread starts).
 */
final class JournalWriter implements AutoCloseable {

  private static final int WRITE_BUFFER_BYTES = 1 << 16;

  private final Path journal;
  private final Path tmp;
  private FileChannel channel;
  private long records;
  /** Number of appends synced; volatile because tests read it from another thread. */
  private volatile long syncs;

  private JournalWriter(Path journal, FileChannel channel, long records) {
    this.journal = journal;
    this.tmp = tmpFile(journal);
    this.channel = channel;
    this.records = records;
  }

  static Path tmpFile(Path journal) {
    return journal.resolveSibling(journal.getFileName() + ".tmp");
  }

  /** Opens for append after replay, cutting off a torn tail at {@code validLength}. */
  static JournalWriter open(Path journal, long validLength, long records) throws IOException {
    boolean created = !Files.exists(journal);
    FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.size() > validLength) {
        channel.truncate(validLength);
        channel.force(true);
      }
      channel.position(validLength);
      if (created) {
        // The new file's directory entry must be durable before any record in it is acknowledged.
        syncDirectory(journal.getParent());
      }
      return new JournalWriter(journal, channel, records);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Writes the lines in order and returns once they are on stable storage. */
  void append(List<byte[]> lines) throws IOException {
    ensureOpen();
    write(channel, lines);
    // force(false) is fdatasync: it still persists the file length, which is all an append changes.
    channel.force(false);
    records += lines.size();
    syncs++;
  }

  /**
   * Replaces the journal by one holding only {@code live}: the new file is complete and synced
   * before the rename, so a crash at any point leaves either the old or the new journal whole.
   *
   * @throws IOException when it failed; {@link #isUsable()} tells whether appends may continue
   */
  void compact(List<byte[]> live) throws IOException {
    ensureOpen();
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      write(out, live);
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE);
    // From here the old channel points at an unlinked file: appends must not go there any more.
    FileChannel old = channel;
    channel = null;
    old.close();
    syncDirectory(journal.getParent());
    FileChannel reopened = FileChannel.open(journal, StandardOpenOption.WRITE);
    reopened.position(reopened.size());
    channel = reopened;
    records = live.size();
  }

  long records() {
    return records;
  }

  long syncs() {
    return syncs;
  }

  boolean isUsable() {
    return channel != null;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void ensureOpen() throws IOException {
    if (channel == null) {
      throw new IOException("journal " + journal + " is not open");
    }
  }

  private static void write(FileChannel target, List<byte[]> lines) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    for (byte[] line : lines) {
      if (line.length > buffer.remaining()) {
        writeFully(target, buffer.flip());
        buffer.clear();
      }
      if (line.length > buffer.capacity()) {
        writeFully(target, ByteBuffer.wrap(line));
      } else {
        buffer.put(line);
      }
    }
    writeFully(target, buffer.flip());
  }

  private static void writeFully(FileChannel target, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      target.write(buffer);
    }
  }

  /** Makes a rename or a file creation durable (POSIX: the directory entry is data of the directory). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
