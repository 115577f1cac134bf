package io.codex32.store;

/**
 * The database was migrated by a newer gateway: this one does not know its schema and must not
 * write to it. Not retried; the gateway exits as it does on bad configuration.
 */
public final class SchemaTooNewException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  SchemaTooNewException(String database, int found, int known) {
    super("PostgreSQL database " + database + " has schema version " + found + ", newer than the " + known
        + " this gateway knows; run a gateway at least as new as the one that migrated it");
  }
}
