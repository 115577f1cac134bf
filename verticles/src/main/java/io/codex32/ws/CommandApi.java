package io.codex32.ws;

import io.codex32.chat.ChatService;
import io.codex32.config.WsConfig;
import io.codex32.security.AuthService;
import io.codex32.voice.VoiceClient;
import io.vertx.core.Vertx;

/**
 * What every HTTP verticle instance shares for {@code /ws/command/{user}}: the chat, the voice
 * client, the settings, and the connection counts of {@code /ws/events} (one budget per user for
 * both). {@code localNode}: where speech is recognised when the client names no node.
 */
public record CommandApi(ChatService chat, VoiceClient voice, AuthService auth, WsConfig config, ConnectionLimits limits,
    String localNode, int maxAudioSeconds) {

  public static CommandApi create(ChatService chat, VoiceClient voice, EventsApi events, String localNode, int maxAudioSeconds) {
    return new CommandApi(chat, voice, events.auth(), events.config(), events.limits(), localNode, maxAudioSeconds);
  }

  /** Call on the verticle's context. */
  public CommandEndpoint endpoint(Vertx vertx) {
    return new CommandEndpoint(vertx, this);
  }
}
