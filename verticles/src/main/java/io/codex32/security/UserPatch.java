package io.codex32.security;

/** A partial change of a user; {@code null} fields stay as they are. */
public record UserPatch(String password, Role role, Boolean disabled) {
}
