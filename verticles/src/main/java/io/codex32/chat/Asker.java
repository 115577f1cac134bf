package io.codex32.chat;

import io.codex32.security.Principal;

/** Who is asking, through which channel and from where: what every action is checked and audited against. */
public record Asker(Principal principal, Channel channel, String sourceIp) {
}
