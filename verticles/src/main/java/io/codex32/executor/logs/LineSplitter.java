package io.codex32.executor.logs;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines on {@code '\n'}. A partial last line waits for the rest, but no
 * longer than {@code maxLineBytes}: once a line passes that, its first bytes go out at once as a
 * truncated line and the rest up to the next newline is skipped, so one endless line costs at most
 * {@code maxLineBytes} of memory. Not thread-safe (one per followed file).
 */
final class LineSplitter {

  /** A finished line without its newline; {@code truncated} when bytes after {@code bytes} were dropped. */
  record RawLine(byte[] bytes, boolean truncated) {
  }

  private final int maxLineBytes;
  private byte[] pending = new byte[256];
  private int length;
  /** The current line was already emitted truncated; its remaining bytes are dropped up to the newline. */
  private boolean skipping;

  LineSplitter(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  void feed(byte[] buf, int off, int len, Consumer<RawLine> sink) {
    int end = off + len;
    int from = off;
    while (from < end) {
      int newline = indexOfNewline(buf, from, end);
      int stop = newline < 0 ? end : newline;
      if (!skipping) {
        append(buf, from, stop - from, sink);
      }
      if (newline < 0) {
        return;
      }
      if (skipping) {
        skipping = false;
      } else {
        emit(false, sink);
      }
      from = newline + 1;
    }
  }

  /** Emits a pending partial line (the writer ended, or the bytes that would continue it are gone). */
  void flush(Consumer<RawLine> sink) {
    if (length > 0) {
      emit(false, sink);
    }
    skipping = false;
  }

  private void append(byte[] buf, int from, int count, Consumer<RawLine> sink) {
    int room = maxLineBytes - length;
    int taken = Math.min(room, count);
    ensureCapacity(length + taken);
    System.arraycopy(buf, from, pending, length, taken);
    length += taken;
    if (count > room) {
      emit(true, sink);
      skipping = true;
    }
  }

  private void emit(boolean truncated, Consumer<RawLine> sink) {
    int end = truncated ? wholeCharactersEnd(pending, length) : withoutCarriageReturn(pending, length);
    sink.accept(new RawLine(Arrays.copyOf(pending, end), truncated));
    length = 0;
    if (pending.length > 4096) {
      pending = new byte[256]; // one long line should not pin a big buffer per followed file
    }
  }

  private void ensureCapacity(int needed) {
    if (needed > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(needed, Math.min(maxLineBytes, pending.length * 2)));
    }
  }

  private static int indexOfNewline(byte[] buf, int from, int end) {
    for (int i = from; i < end; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int withoutCarriageReturn(byte[] bytes, int length) {
    return length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
  }

  /** Where to cut so that a multi-byte UTF-8 character at the end is not split (it is dropped whole instead). */
  static int wholeCharactersEnd(byte[] bytes, int length) {
    int lead = length - 1;
    while (lead >= 0 && length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0 || (bytes[lead] & 0xC0) != 0xC0) {
      return length; // ends in ASCII, or in bytes that are not UTF-8 anyway (decoded as U+FFFD)
    }
    int b = bytes[lead] & 0xFF;
    int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    return length - lead < needed ? lead : length;
  }
}
