package io.codex32.bus;

import io.vertx.core.json.JsonObject;

/**
 * What a node's speech-to-text answers to a {@link VoiceRequest}, decoded per request. Failures are
 * reply failures ({@link BusFailures}): 400 {@code bad_audio}, 404 {@code unknown_session}, 409
 * {@code bad_seq} / {@code session_exists}, 413 {@code audio_too_long} / {@code chunk_too_large},
 * 422 {@code bad_sample_rate} / {@code bad_session} / {@code bad_vocabulary} /
 * {@code bad_partials_address}, 429 {@code busy}, 503 {@code voice_unavailable} /
 * {@code decode_failed}.
 */
public sealed interface VoiceReply extends BusMessage {

  String ENGINE = "engine";
  String SEQ = "seq";
  String TEXT = "text";
  String AUDIO_MS = "audio_ms";
  String DECODE_MS = "decode_ms";
  String AVAILABLE = "available";
  String REASON = "reason";
  String CANCELLED = "cancelled";

  /** The session is open on {@code engine}. */
  record Opened(String engine) implements VoiceReply {
  }

  /** The chunk {@code seq} was handed to the engine. */
  record Accepted(long seq) implements VoiceReply {
  }

  /**
   * The final text ("" when nothing in the vocabulary was heard); {@code audioMs}: the audio
   * received; {@code decodeMs}: from the Finish request to the text.
   */
  record Transcript(String text, long audioMs, long decodeMs) implements VoiceReply {
  }

  /** The session is gone. */
  record Cancelled() implements VoiceReply {
  }

  /** The node's engine ({@code off} when none is selected) and, when it cannot be used, why. */
  record EngineStatus(String engine, boolean available, String reason) implements VoiceReply {
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body();
    if (this instanceof Opened opened) {
      return json.put(ENGINE, opened.engine());
    } else if (this instanceof Accepted accepted) {
      return json.put(SEQ, accepted.seq());
    } else if (this instanceof Transcript transcript) {
      return json.put(TEXT, transcript.text()).put(AUDIO_MS, transcript.audioMs()).put(DECODE_MS, transcript.decodeMs());
    } else if (this instanceof Cancelled) {
      return json.put(CANCELLED, true);
    }
    EngineStatus status = (EngineStatus) this;
    json.put(ENGINE, status.engine()).put(AVAILABLE, status.available());
    return status.reason() == null ? json : json.put(REASON, status.reason());
  }

  /** The reply to {@code request} in {@code body}. */
  static VoiceReply fromJson(VoiceRequest request, Object body) {
    Fields f = Fields.of(body);
    if (request instanceof VoiceRequest.Open) {
      return new Opened(f.text(ENGINE));
    } else if (request instanceof VoiceRequest.Audio) {
      return new Accepted(f.number(SEQ));
    } else if (request instanceof VoiceRequest.Finish) {
      return new Transcript(f.text(TEXT), f.number(AUDIO_MS), f.number(DECODE_MS));
    } else if (request instanceof VoiceRequest.Cancel) {
      return new Cancelled();
    }
    return new EngineStatus(f.text(ENGINE), f.flag(AVAILABLE), f.optionalText(REASON));
  }
}
