package io.codex32.bus;

import io.codex32.voice.Vocabulary;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * A request to a node's speech-to-text on {@code codex32.node.<id>.voice}; the reply is a
 * {@link VoiceReply}. A session is opened with the vocabulary to listen for, fed numbered PCM
 * chunks (16 kHz mono s16le, base64 on the wire), then finished (the transcript) or cancelled.
 * Partial text goes to the Open's {@code partialsAddress} as {@link VoiceEvent.Partial}. The node
 * checks sample rate, order, size and duration and answers with a failure code otherwise. The JSON
 * mapping below is the only place its wire keys are written.
 */
public sealed interface VoiceRequest extends BusMessage {

  String ACTION = "action";
  String SESSION = "session";
  String SAMPLE_RATE = "sample_rate";
  String VOCABULARY = "vocabulary";
  String PARTIALS_ADDRESS = "partials_address";
  String SEQ = "seq";
  String PCM = "pcm";

  /** The closed set of actions, with their wire names. */
  enum Action {
    OPEN, AUDIO, FINISH, CANCEL, STATUS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Action parse(String text) {
      return Arrays.stream(values()).filter(a -> a.wireName().equals(text)).findFirst()
          .orElseThrow(() -> UnreadableMessage.of("unknown_action", "unknown voice action '" + text + "'"));
    }
  }

  /** Starts a session recognising {@code vocabulary}; partials go to {@code partialsAddress} (null: none). */
  record Open(String session, int sampleRate, Vocabulary vocabulary, String partialsAddress) implements VoiceRequest {
  }

  /** The chunk numbered {@code seq} (0, 1, 2, ... with no gap) of the session's audio. */
  record Audio(String session, long seq, byte[] pcm) implements VoiceRequest {

    @Override
    public boolean equals(Object other) {
      return other instanceof Audio a && a.session.equals(session) && a.seq == seq && Arrays.equals(a.pcm, pcm);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * session.hashCode() + Long.hashCode(seq)) + Arrays.hashCode(pcm);
    }

    @Override
    public String toString() {
      return "Audio[session=" + session + ", seq=" + seq + ", bytes=" + pcm.length + "]";
    }
  }

  /** No more audio: the reply is the transcript, and the session is over. */
  record Finish(String session) implements VoiceRequest {
  }

  /** Drop the session without a transcript (answered even when the node no longer has it). */
  record Cancel(String session) implements VoiceRequest {
  }

  /** Which engine the node runs, and whether it works. */
  record Status() implements VoiceRequest {
  }

  default Action action() {
    if (this instanceof Open) {
      return Action.OPEN;
    } else if (this instanceof Audio) {
      return Action.AUDIO;
    } else if (this instanceof Finish) {
      return Action.FINISH;
    }
    return this instanceof Cancel ? Action.CANCEL : Action.STATUS;
  }

  /** The session the request is about (null for {@link Status}). */
  default String session() {
    return null;
  }

  @Override
  default JsonObject toJson() {
    JsonObject json = Contract.body().put(ACTION, action().wireName());
    if (!(this instanceof Status)) {
      json.put(SESSION, session());
    }
    if (this instanceof Open open) {
      json.put(SAMPLE_RATE, open.sampleRate()).put(VOCABULARY, VocabularyJson.toJson(open.vocabulary()));
      if (open.partialsAddress() != null) {
        json.put(PARTIALS_ADDRESS, open.partialsAddress());
      }
    } else if (this instanceof Audio audio) {
      json.put(SEQ, audio.seq()).put(PCM, Base64.getEncoder().encodeToString(audio.pcm()));
    }
    return json;
  }

  /** The request in {@code body}; an {@link UnreadableMessage} when it is not one. */
  static VoiceRequest fromJson(Object body) {
    Fields f = Fields.of(body);
    Action action = Action.parse(f.text(ACTION));
    return switch (action) {
      case OPEN -> new Open(f.text(SESSION), f.integer(SAMPLE_RATE), VocabularyJson.fromJson(VOCABULARY, f.object(VOCABULARY)),
          f.optionalText(PARTIALS_ADDRESS));
      case AUDIO -> new Audio(f.text(SESSION), f.number(SEQ), pcm(f.text(PCM)));
      case FINISH -> new Finish(f.text(SESSION));
      case CANCEL -> new Cancel(f.text(SESSION));
      case STATUS -> new Status();
    };
  }

  private static byte[] pcm(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw UnreadableMessage.malformed(PCM, "base64");
    }
  }
}
