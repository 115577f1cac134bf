package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * A node's local microphone as it answers every {@link MicrophoneRequest}: {@code state}
 * ({@code idle}, {@code opening}: getting the words to listen for and a recognition session,
 * {@code listening}: capturing, {@code deciding}: recognising and acting), the capture
 * {@code device}, the push-to-talk {@code pin} (null without one), the {@code user} spoken commands
 * act as, the audio of the current or last capture ({@code audioMs}), and what happened last: the
 * sentence {@code heard}, the {@code reply} to it and the {@code error} that stopped it (each null
 * until there is one). Failures: 409 {@code busy} (a start while not idle), 503
 * {@code gateway_unavailable} / {@code microphone_unavailable}.
 */
public record MicrophoneReply(String state, String device, String pin, String user, long audioMs, String heard, String reply,
    String error) implements BusMessage {

  private static final String STATE = "state";
  private static final String DEVICE = "device";
  private static final String PIN = "push_to_talk_pin";
  private static final String USER = "user";
  private static final String AUDIO_MS = "audio_ms";
  private static final String HEARD = "heard";
  private static final String REPLY = "reply";
  private static final String ERROR = "error";

  @Override
  public JsonObject toJson() {
    return Contract.body().put(STATE, state).put(DEVICE, device).put(PIN, pin).put(USER, user).put(AUDIO_MS, audioMs)
        .put(HEARD, heard).put(REPLY, reply).put(ERROR, error);
  }

  public static MicrophoneReply fromJson(Object body) {
    Fields f = Fields.of(body);
    return new MicrophoneReply(f.text(STATE), f.text(DEVICE), f.optionalText(PIN), f.text(USER), f.number(AUDIO_MS),
        f.optionalText(HEARD), f.optionalText(REPLY), f.optionalText(ERROR));
  }
}
