package io.codex32.ws;

import io.codex32.chat.Asker;
import io.codex32.chat.Channel;
import io.codex32.chat.ChatReply;
import io.codex32.chat.Conversation;
import io.codex32.error.Codex32Exception;
import io.codex32.rate.TokenBucket;
import io.codex32.security.Principal;
import io.codex32.voice.VoiceSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One person's conversation on {@code /ws/command/{user}}: utterances are answered one at a time in
 * the order they came (a bounded number may wait), and at most one audio utterance streams at a
 * time to the node recognising it. Frames are rate-limited per socket, audio is bounded in length;
 * every mistake is an {@code error} frame and the socket stays open. Everything runs on the event
 * loop that accepted the socket; nothing here blocks.
 */
final class ChatConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ChatConnection.class);
  private static final int TEXT_BURST = 10;
  private static final int TEXT_PER_S = 5;
  /** A browser sends 16 kHz audio in frames of 128 to 8192 samples: 4 to 125 a second. */
  private static final int AUDIO_BURST = 200;
  private static final int AUDIO_PER_S = 150;
  /** Utterances that may wait behind the one being answered. */
  private static final int MAX_WAITING = 8;
  private static final int SAMPLE_RATE = 16_000;
  private static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;

  private final ServerWebSocket ws;
  private final String sourceIp;
  private final CommandApi api;
  private final Runnable onClosed;
  private final Conversation conversation = new Conversation(Clock.systemUTC());
  private final TokenBucket textBudget = new TokenBucket(TEXT_BURST, TEXT_PER_S, System.nanoTime());
  private final TokenBucket audioBudget = new TokenBucket(AUDIO_BURST, AUDIO_PER_S, System.nanoTime());
  private final SocketLiveness liveness;
  private Principal principal;
  /** Completes when the utterance being answered has been answered. */
  private Future<Void> answering = Future.succeededFuture();
  private int waiting;
  private Utterance audio;
  private boolean closed;

  /** One spoken utterance on its way: the session being opened on the node, the audio sent so far. */
  private static final class Utterance {
    private final Future<VoiceSession> session;
    private Future<Void> sent = Future.succeededFuture();
    private long bytes;

    Utterance(Future<VoiceSession> session) {
      this.session = session;
    }
  }

  ChatConnection(Vertx vertx, ServerWebSocket ws, Principal principal, String token, String sourceIp, CommandApi api,
      Runnable onClosed) {
    this.ws = ws;
    this.principal = principal;
    this.sourceIp = sourceIp;
    this.api = api;
    this.onClosed = onClosed;
    this.liveness = new SocketLiveness(vertx, ws, token, api.auth(), api.config(), this::close, fresh -> this.principal = fresh, () -> { });
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onAudio);
    ws.pongHandler(pong -> liveness.heard());
    ws.exceptionHandler(this::onSocketError);
    ws.closeHandler(v -> release());
    if (ws.isClosed()) {
      release();
      return;
    }
    liveness.start();
  }

  // ---- client → server ------------------------------------------------------------------------

  private void onSocketError(Throwable error) {
    LOG.debug("chat socket of {}: {}", principal.subject(), error.toString());
    if (error instanceof IllegalStateException) {
      close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }
  }

  private void onText(String text) {
    liveness.heard();
    if (!textBudget.tryTake(System.nanoTime())) {
      sendError("rate_limited", "at most " + TEXT_PER_S + " messages a second");
      return;
    }
    ChatFrame frame;
    try {
      frame = ChatFrame.parse(text);
    } catch (ClientMessage.Invalid e) {
      sendError(e.code(), e.getMessage());
      return;
    }
    switch (frame.kind()) {
      case MESSAGE -> utter(frame.text(), Channel.CHAT);
      case AUDIO_START -> startAudio(frame);
      case AUDIO_END -> endAudio();
      case AUDIO_CANCEL -> cancelAudio();
      default -> send(new JsonObject().put("type", "pong").put("timestamp", Instant.now().toString()));
    }
  }

  /** Answers {@code text} after whatever is being answered now. */
  private void utter(String text, Channel channel) {
    if (waiting >= MAX_WAITING) {
      sendError("busy", "still answering " + MAX_WAITING + " earlier messages; wait for their replies");
      return;
    }
    waiting++;
    Asker asker = new Asker(principal, channel, sourceIp);
    answering = answering.transform(previous -> api.chat().handle(conversation, asker, text)
        .onComplete(reply -> {
          waiting--;
          if (reply.succeeded()) {
            send(reply.result().toJson());
          } else {
            sendFailure(reply.cause());
          }
        })
        .<Void>mapEmpty()
        .otherwiseEmpty());
  }

  private void startAudio(ChatFrame frame) {
    if (audio != null) {
      sendError("audio_in_progress", "send audio_end or audio_cancel before starting another utterance");
      return;
    }
    if (frame.sampleRate() != SAMPLE_RATE) {
      sendError("bad_sample_rate", "audio must be 16000 Hz mono s16le PCM, got sample_rate " + frame.sampleRate());
      return;
    }
    String node = frame.node() == null ? api.localNode() : frame.node();
    Utterance utterance = new Utterance(api.chat().vocabulary()
        .compose(vocabulary -> api.voice().open(node, vocabulary, SAMPLE_RATE, this::partial)));
    audio = utterance;
    utterance.session.onComplete(opened -> {
      if (opened.succeeded()) {
        send(new JsonObject().put("type", "audio_started").put("node", node));
      } else {
        if (audio == utterance) {
          audio = null;
        }
        sendFailure(opened.cause());
      }
    });
  }

  private void partial(String text) {
    send(new JsonObject().put("type", "partial").put("text", text));
  }

  private void onAudio(Buffer pcm) {
    liveness.heard();
    Utterance utterance = audio;
    if (utterance == null) {
      sendError("no_audio_session", "send {\"type\":\"audio_start\",\"sample_rate\":16000} before audio");
      return;
    }
    if (!audioBudget.tryTake(System.nanoTime())) {
      endWithError(utterance, "rate_limited", "at most " + AUDIO_PER_S + " audio frames a second");
      return;
    }
    if (pcm.length() % 2 != 0) {
      endWithError(utterance, "bad_audio", "audio must be 16-bit samples: a frame of " + pcm.length() + " bytes is not");
      return;
    }
    utterance.bytes += pcm.length();
    if (utterance.bytes > (long) api.maxAudioSeconds() * BYTES_PER_SECOND) {
      endWithError(utterance, "audio_too_long", "an utterance may last at most " + api.maxAudioSeconds() + " s");
      return;
    }
    // sent at once, not after the previous chunk's reply: the bus keeps one sender's messages in
    // order and the node checks their sequence, so waiting would only add a round trip per chunk
    Future<Void> chunk = utterance.session.compose(session -> session.audio(pcm));
    utterance.sent = Future.all(utterance.sent, chunk).mapEmpty();
    chunk.onFailure(failure -> {
      if (audio == utterance) {
        endWithError(utterance, failure);
      }
    });
  }

  private void endAudio() {
    Utterance utterance = audio;
    if (utterance == null) {
      sendError("no_audio_session", "no utterance is being recorded");
      return;
    }
    audio = null;
    utterance.sent.compose(v -> utterance.session.compose(VoiceSession::finish)).onComplete(result -> {
      if (result.failed()) {
        sendFailure(result.cause());
        return;
      }
      String heard = result.result().text() == null ? "" : result.result().text().strip();
      send(new JsonObject().put("type", "transcript").put("text", heard)
          .put("audio_ms", result.result().audioMs()).put("decode_ms", result.result().decodeMs()));
      if (heard.isEmpty()) {
        send(new ChatReply("I did not catch that; please say it again.", null, null, null, null, null).toJson());
      } else {
        utter(heard, Channel.VOICE);
      }
    });
  }

  private void cancelAudio() {
    Utterance utterance = audio;
    audio = null;
    if (utterance != null) {
      utterance.session.onSuccess(VoiceSession::cancel);
    }
    send(new JsonObject().put("type", "audio_cancelled"));
  }

  private void endWithError(Utterance utterance, String code, String message) {
    endWithError(utterance, Codex32Exception.badRequest(code, message));
  }

  private void endWithError(Utterance utterance, Throwable failure) {
    if (audio == utterance) {
      audio = null;
    }
    utterance.session.onSuccess(VoiceSession::cancel);
    sendFailure(failure);
  }

  // ---- server → client ------------------------------------------------------------------------

  private void sendFailure(Throwable failure) {
    if (failure instanceof Codex32Exception e) {
      sendError(e.code(), e.getMessage());
    } else {
      LOG.warn("chat of {} failed: {}", principal.subject(), failure.toString());
      sendError("unavailable", "could not do that now; try again");
    }
  }

  private void sendError(String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message));
  }

  /** Replies are few and small: one is written at once, or dropped if the client stopped reading. */
  private void send(JsonObject frame) {
    if (closed || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      LOG.info("dropping a chat frame for {}: the client is not reading", principal.subject());
      return;
    }
    ws.writeTextMessage(frame.encode());
  }

  private void close(short code, String reason) {
    if (closed) {
      return;
    }
    release();
    ws.close(code, reason);
  }

  private void release() {
    if (closed) {
      return;
    }
    closed = true;
    liveness.stop();
    Utterance utterance = audio;
    audio = null;
    if (utterance != null) {
      utterance.session.onSuccess(VoiceSession::cancel);
    }
    onClosed.run();
  }
}
