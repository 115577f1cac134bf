package io.codex32.store;

import java.nio.file.Path;
import java.util.Objects;

/** The embedded journal store ({@link FileDocumentStore}) in {@code dataDir}. */
public record FileStoreSettings(Path dataDir) implements StoreSettings {

  public FileStoreSettings {
    Objects.requireNonNull(dataDir, "dataDir");
  }
}
