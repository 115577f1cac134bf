package io.codex32.store;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * One journal line: {@code <crc32c as 8 hex digits> <json>\n}, where the JSON is
 * {@code {"op":"put"|"del","c":collection,"id":id,"rev":N,"doc":{...}}} ({@code doc} only for put).
 * The checksum covers the JSON bytes, so a torn or bit-flipped line is recognised on replay.
 */
record JournalRecord(Op op, String collection, String id, long revision, JsonObject doc) {

  enum Op {
    PUT("put"), DEL("del");

    private final String wire;

    Op(String wire) {
      this.wire = wire;
    }

    static Op fromWire(String wire) {
      for (Op op : values()) {
        if (op.wire.equals(wire)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown op " + wire);
    }
  }

  /** 8 hex digits, a space, then at least "{}" (newline excluded). */
  private static final int MIN_LINE = 8 + 1 + 2;

  static JournalRecord put(String collection, String id, long revision, JsonObject doc) {
    return new JournalRecord(Op.PUT, collection, id, revision, doc);
  }

  static JournalRecord delete(String collection, String id, long revision) {
    return new JournalRecord(Op.DEL, collection, id, revision, null);
  }

  /** The complete line including the trailing newline. */
  byte[] encode() {
    JsonObject json = new JsonObject().put("op", op.wire).put("c", collection).put("id", id).put("rev", revision);
    if (op == Op.PUT) {
      json.put("doc", doc);
    }
    // Jackson escapes control characters, so the JSON never contains a raw newline.
    byte[] body = json.encode().getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[9 + body.length + 1];
    byte[] checksum = HexFormat.of().toHexDigits(crc(body, 0, body.length)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, line, 0, 8);
    line[8] = ' ';
    System.arraycopy(body, 0, line, 9, body.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * Parses one line without its newline.
   *
   * @throws IllegalArgumentException when the checksum, the JSON or a field is invalid
   */
  static JournalRecord decode(byte[] buf, int len) {
    if (len < MIN_LINE || buf[8] != ' ') {
      throw new IllegalArgumentException("malformed line");
    }
    // fromHexDigits throws IllegalArgumentException on a non-hex character.
    int expected = HexFormat.fromHexDigits(new String(buf, 0, 8, StandardCharsets.US_ASCII));
    if (crc(buf, 9, len - 9) != expected) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    try {
      JsonObject json = new JsonObject(new String(buf, 9, len - 9, StandardCharsets.UTF_8));
      Op op = Op.fromWire(json.getString("op"));
      String collection = require(json.getString("c"), "c");
      String id = require(json.getString("id"), "id");
      long revision = require(json.getLong("rev"), "rev");
      JsonObject doc = op == Op.PUT ? require(json.getJsonObject("doc"), "doc") : null;
      return new JournalRecord(op, collection, id, revision, doc);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage());
    }
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return value;
  }

  static int crc(byte[] buf, int offset, int len) {
    CRC32C crc = new CRC32C();
    crc.update(buf, offset, len);
    return (int) crc.getValue();
  }
}
