package io.codex32.store;

/**
 * Which store to open and what it needs, built from the configuration by whoever opens it, so the
 * store knows nothing of configuration keys.
 */
public sealed interface StoreSettings permits FileStoreSettings, PgStoreSettings {
}
