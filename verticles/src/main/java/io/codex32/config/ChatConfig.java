package io.codex32.config;

import io.codex32.chat.intent.IntentCatalog;
import java.nio.file.Path;
import java.util.List;

/**
 * Chat: the intent catalog, the shipped sentences plus those of {@code chat.intents_extra} (a
 * comma-separated list of YAML files in the same format), loaded and checked when the configuration
 * is, so a mistake in a sentence file stops the start with the file and the sentence named.
 */
public record ChatConfig(List<Path> intentsExtra, IntentCatalog catalog) {

  static final String INTENTS_EXTRA = "chat.intents_extra";

  static ChatConfig from(Settings s) {
    List<Path> extra = s.list(INTENTS_EXTRA).stream().map(Path::of).toList();
    try {
      return new ChatConfig(extra, IntentCatalog.load(extra));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(INTENTS_EXTRA, e.getMessage());
    }
  }
}
