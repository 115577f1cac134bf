package io.codex32.microphone;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.ChatAnswer;
import io.codex32.bus.GpioEvent;
import io.codex32.bus.MicrophoneReply;
import io.codex32.bus.MicrophoneRequest;
import io.codex32.bus.PinValue;
import io.codex32.bus.UnreadableMessage;
import io.codex32.error.Codex32Exception;
import io.codex32.voice.SpeechEngine;
import io.codex32.voice.VoiceClient;
import io.codex32.voice.VoiceConfig;
import io.codex32.voice.VoiceSession;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own microphone: press the push-to-talk button (or {@code start}), speak, release it (or
 * {@code stop}); what was heard is recognised by the node's own {@code VoiceVerticle}, offline, and
 * handed to the gateway's chat as the configured user with channel {@code voice}. The reply is
 * logged and, with {@code speak_replies}, said aloud.
 *
 * <p>One utterance at a time: {@code idle} → {@code opening} (the words to listen for from the
 * gateway, a recognition session on this node) → {@code listening} (arecord runs; its audio goes
 * to the session in 100 ms chunks from a capture thread of its own, each sent once the previous
 * one was taken) → {@code deciding} (finish, chat) → {@code idle}. Listening ends on release, on
 * {@code stop}, when {@code voice.max_seconds} of audio were captured, or when arecord exits.
 * A worker verticle: its own handlers only keep the state; processes run off the event loop.
 */
public final class LocalMicrophone extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMicrophone.class);
  private static final String FAILURE_CODE = "microphone_error";
  private static final long CHUNK_TIMEOUT_MS = VoiceClient.REQUEST_TIMEOUT_MS + 1_000;
  private static final String NOT_CAUGHT = "I did not catch that; please say it again.";

  private enum State { IDLE, OPENING, LISTENING, DECIDING }

  private final String nodeId;
  private final MicrophoneConfig config;
  private final long maxAudioBytes;
  private VoiceClient voice;
  private GatewayChat chat;
  private Context context;
  private boolean speak;
  private State state = State.IDLE;
  private boolean stopRequested;
  private Capture capture;
  private volatile long bytes;
  private String heard;
  private String reply;
  private String error;

  public LocalMicrophone(String nodeId, MicrophoneConfig config, VoiceConfig voice) {
    this.nodeId = nodeId;
    this.config = config;
    this.maxAudioBytes = voice.maxAudioBytes();
  }

  /** Deploys the microphone of {@code nodeId} on a worker context. */
  public static Future<String> deploy(Vertx vertx, String nodeId, MicrophoneConfig config, VoiceConfig voice) {
    return vertx.deployVerticle(new LocalMicrophone(nodeId, config, voice),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  @Override
  public Future<?> start() {
    voice = new VoiceClient(vertx);
    chat = new GatewayChat(vertx);
    context = vertx.getOrCreateContext();
    speak = config.speakReplies() && Speaker.installed();
    if (config.speakReplies() && !speak) {
      LOG.warn("voice.microphone.speak_replies is on but {} is not installed: replies are only logged", Speaker.COMMAND);
    }
    LOG.info("microphone on {}: device '{}', push-to-talk {}, commands as user '{}'", nodeId, config.device(),
        config.pushToTalkPin() == null ? "through the API only" : "on pin '" + config.pushToTalkPin() + "'", config.user());
    Future<Void> requests = vertx.eventBus().consumer(Addresses.microphone(nodeId), this::onRequest).completion();
    if (config.pushToTalkPin() == null) {
      return requests;
    }
    return requests.compose(v -> vertx.eventBus().consumer(Addresses.GPIO_EVENTS, this::onGpio).completion());
  }

  @Override
  public Future<?> stop() {
    Capture running = capture;
    if (running != null) {
      running.stop();
    }
    return Future.succeededFuture();
  }

  // ---- requests -------------------------------------------------------------------------------

  private void onRequest(Message<Object> message) {
    Future<MicrophoneReply> answer;
    try {
      MicrophoneRequest request = MicrophoneRequest.fromJson(message.body());
      if (request instanceof MicrophoneRequest.Start) {
        answer = press();
      } else if (request instanceof MicrophoneRequest.Stop) {
        answer = release();
      } else {
        answer = Future.succeededFuture(status());
      }
    } catch (UnreadableMessage e) {
      answer = Future.failedFuture(e);
    }
    answer.onSuccess(status -> message.reply(status.toJson())).onFailure(failure -> BusFailures.fail(message, failure, FAILURE_CODE));
  }

  /**
   * Pressed is the pin's logical value high: a button to ground with the pull-up reads low when
   * pressed, so declare it {@code active_low} (the GPIO verticle then reports it high while pressed).
   */
  private void onGpio(Message<Object> message) {
    GpioEvent event;
    try {
      event = GpioEvent.fromJson(message.body());
    } catch (UnreadableMessage e) {
      return;
    }
    if (!event.node().equals(nodeId) || !event.pin().equals(config.pushToTalkPin())) {
      return;
    }
    Future<MicrophoneReply> done = event.value() == PinValue.HIGH ? press() : release();
    done.onFailure(failure -> LOG.info("push-to-talk {} on {} ignored: {}", event.value() == PinValue.HIGH ? "press" : "release",
        nodeId, failure.getMessage()));
  }

  MicrophoneReply status() {
    return new MicrophoneReply(state.name().toLowerCase(java.util.Locale.ROOT), config.device(), config.pushToTalkPin(), config.user(),
        bytes * 1000 / (SpeechEngine.SAMPLE_RATE * 2L), heard, reply, error);
  }

  // ---- one utterance --------------------------------------------------------------------------

  /** Starts listening; completes once arecord runs, or fails with why it cannot. */
  private Future<MicrophoneReply> press() {
    if (state != State.IDLE) {
      return Future.failedFuture(Codex32Exception.conflict("busy", "the microphone is " + state.name().toLowerCase(java.util.Locale.ROOT)
          + "; stop it or wait for its reply"));
    }
    state = State.OPENING;
    stopRequested = false;
    bytes = 0;
    heard = null;
    reply = null;
    error = null;
    Promise<MicrophoneReply> started = Promise.promise();
    chat.words()
        .compose(words -> voice.open(nodeId, words, SpeechEngine.SAMPLE_RATE, partial -> LOG.debug("microphone heard so far: {}", partial)))
        .compose(session -> stopRequested ? cancelled(session) : listen(session))
        .onSuccess(v -> started.complete(status()))
        .onFailure(failure -> {
          failed(failure);
          started.fail(failure);
        });
    return started.future();
  }

  private Future<Void> cancelled(VoiceSession session) {
    session.cancel();
    return Future.failedFuture(Codex32Exception.conflict("released", "released before listening started; hold the button while speaking"));
  }

  /** Runs arecord (off this thread) and a capture thread that feeds {@code session}. */
  private Future<Void> listen(VoiceSession session) {
    return vertx.executeBlocking(() -> Capture.start(config))
        .recover(failure -> {
          session.cancel();
          return Future.failedFuture(Codex32Exception.unavailable("microphone_unavailable", "cannot run '" + config.command()
              + "' for device '" + config.device() + "': " + failure.getMessage(), failure));
        })
        .map(running -> {
          capture = running;
          state = State.LISTENING;
          LOG.info("microphone on {} is listening", nodeId);
          Thread thread = new Thread(() -> pump(running, session), "codex32-microphone-" + nodeId);
          thread.setDaemon(true);
          thread.start();
          return null;
        });
  }

  /** The capture thread: chunks to the session until the capture ends or the audio limit; then back to the verticle. */
  private void pump(Capture running, VoiceSession session) {
    String failure = null;
    try {
      for (byte[] chunk = running.read(); chunk.length > 0; chunk = running.read()) {
        int room = (int) Math.min(chunk.length, maxAudioBytes - bytes);
        session.audio(Buffer.buffer(chunk).slice(0, room)).toCompletionStage().toCompletableFuture()
            .get(CHUNK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        bytes += room;
        if (bytes >= maxAudioBytes) {
          LOG.info("microphone on {}: {} s of audio reached, listening stops", nodeId, maxAudioBytes / (SpeechEngine.SAMPLE_RATE * 2));
          running.stop();
          break;
        }
      }
    } catch (Exception e) {
      failure = "the audio could not be recognised: " + e.getMessage();
      running.stop();
    }
    String exited;
    try {
      exited = running.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = "interrupted";
    }
    String why = failure != null ? failure : exited;
    context.runOnContext(v -> captured(session, why));
  }

  /** Listening ended: recognise, ask the gateway's chat, say the answer. */
  private void captured(VoiceSession session, String failure) {
    capture = null;
    if (failure != null && bytes == 0) {
      session.cancel();
      failed(Codex32Exception.unavailable("microphone_unavailable", failure, null));
      return;
    }
    state = State.DECIDING;
    session.finish()
        .compose(transcript -> {
          String text = transcript.text() == null ? "" : transcript.text().strip();
          heard = text;
          LOG.info("microphone on {} heard '{}' ({} ms of audio)", nodeId, text, transcript.audioMs());
          return text.isEmpty() ? Future.succeededFuture(new ChatAnswer.Reply(NOT_CAUGHT, null, null))
              : chat.utter(config.user(), text, nodeId);
        })
        .onSuccess(answer -> {
          reply = answer.text();
          state = State.IDLE;
          LOG.info("microphone on {}: {}", nodeId, answer.text());
          say(answer.text());
        })
        .onFailure(this::failed);
  }

  private void failed(Throwable failure) {
    state = State.IDLE;
    capture = null;
    error = failure.getMessage();
    if (failure instanceof Codex32Exception e && GatewayChat.UNAVAILABLE.equals(e.code())) {
      LOG.warn("microphone on {}: {}", nodeId, GatewayChat.NO_GATEWAY);
      say(GatewayChat.NO_GATEWAY);
    } else if (failure instanceof Codex32Exception e && "released".equals(e.code())) {
      LOG.info("microphone on {}: {}", nodeId, e.getMessage());
    } else {
      LOG.warn("microphone on {}: {}", nodeId, failure.getMessage());
      say("The microphone failed: " + failure.getMessage());
    }
  }

  private void say(String text) {
    if (speak) {
      vertx.executeBlocking(() -> {
        Speaker.say(text);
        return null;
      }, false);
    }
  }

  /** Stops listening: what was heard so far is recognised and acted on. Not listening, it changes nothing. */
  private Future<MicrophoneReply> release() {
    if (state == State.OPENING) {
      stopRequested = true;
      return Future.succeededFuture(status());
    }
    if (state == State.LISTENING) {
      capture.stop();
    }
    return Future.succeededFuture(status());
  }
}
