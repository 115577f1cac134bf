package io.codex32.chat.intent;

import java.util.Map;

/**
 * What an utterance asked for: the intent's name (e.g. {@code start_bot}) and its slot values as
 * they were said or typed, not yet resolved to a bot, device, node or pin.
 */
public record IntentMatch(String intent, Map<String, String> slots) {

  public IntentMatch {
    slots = Map.copyOf(slots);
  }

  /** The slot's text, or null when the sentence had no such slot. */
  public String slot(String name) {
    return slots.get(name);
  }
}
