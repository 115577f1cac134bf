package io.codex32.bus;

import io.codex32.error.Codex32Exception;

/**
 * A message on a {@code codex32.*} address that this build cannot read: not JSON, an unknown type
 * (an unknown executor action keeps its own code, {@code unknown_action}),
 * a missing or malformed field, or a newer contract version. A request gets it as a 400 failure
 * reply; a published message is dropped with one WARN line.
 */
public final class UnreadableMessage extends Codex32Exception {

  private static final long serialVersionUID = 1L;

  private UnreadableMessage(String code, String message) {
    super(400, code, message);
  }

  public static UnreadableMessage of(String code, String message) {
    return new UnreadableMessage(code, message);
  }

  static UnreadableMessage missing(String key) {
    return of("missing_field", "'" + key + "' is missing");
  }

  static UnreadableMessage malformed(String key, String expected) {
    return of("bad_field", "'" + key + "' must be " + expected);
  }

  static UnreadableMessage unknownType(String key, String value) {
    return of("unknown_type", "unknown " + key + " '" + value + "'");
  }
}
