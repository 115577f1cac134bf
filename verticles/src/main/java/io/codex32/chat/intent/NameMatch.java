package io.codex32.chat.intent;

import java.util.List;

/** How a name said in a sentence resolved against the names that exist. */
public sealed interface NameMatch {

  /** One candidate is clearly meant. */
  record Found(Named named) implements NameMatch {
  }

  /** Several fit about equally well: ask which, do not guess. Best first. */
  record Ambiguous(List<Named> candidates) implements NameMatch {
  }

  /** Nothing fits well enough; {@code closest} (possibly empty) are offered as suggestions, best first. */
  record NotFound(List<Named> closest) implements NameMatch {
  }
}
