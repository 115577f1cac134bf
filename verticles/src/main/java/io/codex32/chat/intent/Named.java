package io.codex32.chat.intent;

/** Something a person can name in a sentence: a bot, device, node, pin or workflow, by id and display name. */
public record Named(String id, String name) {
}
