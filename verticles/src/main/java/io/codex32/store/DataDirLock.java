package io.codex32.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a data directory: an OS file lock on {@code LOCK}, held for the store's
 * lifetime, with the holder's pid written inside for the error message of the next opener.
 *
 * <p>Locks held by this JVM are also remembered in {@link #HELD} and checked first. That is not
 * just a faster path: OS file locks belong to the process, and on Linux closing <em>any</em>
 * descriptor of the file drops them, so a second opener in this JVM must not even open the file.
 */
final class DataDirLock implements AutoCloseable {

  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @param dataDir the directory named in the error message
   * @param lockFile the lock file; its parent directory must exist
   * @throws DataDirLockedException when another process, or this one, holds it
   */
  static DataDirLock acquire(Path dataDir, Path lockFile) throws IOException {
    long pid = ProcessHandle.current().pid();
    Path key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
    if (!HELD.add(key)) {
      throw new DataDirLockedException(dataDir, "pid " + pid + ", this process");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new DataDirLockedException(dataDir, readHolder(channel));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("pid " + pid + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new DataDirLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held by this JVM through a path HELD did not recognise (e.g. a hard link).
      return null;
    }
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    channel.read(buffer, 0);
    String holder = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    return holder.isEmpty() ? "holder unknown" : holder;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD.remove(key);
    }
  }
}
