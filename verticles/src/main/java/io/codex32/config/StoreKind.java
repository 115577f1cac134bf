package io.codex32.config;

/** Which durable store holds specs, users, keys and the audit trail. */
public enum StoreKind {
  FILE, POSTGRES;

  static StoreKind parse(String value) {
    return switch (value) {
      case "file" -> FILE;
      case "postgres" -> POSTGRES;
      default -> throw new ConfigException("store", "must be 'file' or 'postgres', got '" + value + "'");
    };
  }
}
