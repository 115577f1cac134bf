package io.codex32.voice;

import io.codex32.bus.Addresses;
import io.codex32.bus.BusFailures;
import io.codex32.bus.VoiceEvent;
import io.codex32.bus.VoiceReply;
import io.codex32.bus.VoiceRequest;
import io.codex32.error.Codex32Exception;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's speech-to-text on {@code codex32.node.<id>.voice}: sessions opened with a vocabulary,
 * fed numbered 16 kHz PCM chunks, finished into a transcript, with partial text published to the
 * address each session named. Deployed on every node, also when no engine can run, so that
 * {@link VoiceRequest.Status} always says which engine it has and why not.
 *
 * <p>A worker verticle whose own thread only does bookkeeping (order, sizes, limits): each engine
 * call runs as blocking work of its own, chained per session, so a slow decode holds its own session
 * only. Every input is bounded: {@value #MAX_SESSIONS} sessions at once, {@code voice.max_seconds}
 * of audio each, chunks of at most {@value #MAX_CHUNK_BYTES} bytes, a vocabulary of limited size;
 * a session without a request for the idle timeout is closed.
 */
public final class VoiceVerticle extends VerticleBase {

  public static final int MAX_SESSIONS = 4;
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int MAX_CHUNK_BYTES = 64 * 1024;
  static final int MAX_SENTENCES = 500;
  static final int MAX_SLOT_VALUES = 5_000;
  static final int MAX_PHRASE_CHARS = 200;
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final int MAX_ADDRESS_CHARS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(VoiceVerticle.class);
  private static final String FAILURE_CODE = "voice_error";

  private final String nodeId;
  private final EngineSelection selection;
  private final long maxAudioBytes;
  private final Duration idleTimeout;
  private final Map<String, Session> sessions = new HashMap<>();
  private int finishing;
  private long idleTimer;

  public VoiceVerticle(String nodeId, EngineSelection selection, VoiceConfig config, Duration idleTimeout) {
    this.nodeId = nodeId;
    this.selection = selection;
    this.maxAudioBytes = config.maxAudioBytes();
    this.idleTimeout = idleTimeout;
  }

  /** Selects the engine of {@code config} (a Vosk model loads: on a worker thread) and deploys the verticle on it. */
  public static Future<String> deploy(Vertx vertx, String nodeId, VoiceConfig config) {
    return vertx.executeBlocking(() -> EngineSelection.select(config))
        .compose(selection -> deploy(vertx, new VoiceVerticle(nodeId, selection, config, IDLE_TIMEOUT)));
  }

  /** Deploys {@code verticle} on a worker context, as it must run. */
  public static Future<String> deploy(Vertx vertx, VoiceVerticle verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  @Override
  public Future<?> start() {
    if (selection.available()) {
      LOG.info("voice on {}: {} (at most {} s of audio per session)", nodeId, selection.name(), maxAudioBytes / 32_000);
    } else {
      LOG.info("voice on {}: no engine ({})", nodeId, selection.reason());
    }
    long period = Math.max(50, idleTimeout.toMillis() / 4);
    idleTimer = vertx.setPeriodic(period, id -> closeIdle());
    return vertx.eventBus().consumer(Addresses.voice(nodeId), this::onRequest).completion();
  }

  /** Closes every open session, then the engine. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(idleTimer);
    List<Future<Void>> closing = new ArrayList<>();
    new ArrayList<>(sessions.values()).forEach(session -> closing.add(end(session)));
    return Future.join(closing).transform(done -> vertx.executeBlocking(() -> {
      selection.engine().ifPresent(SpeechEngine::close);
      return null;
    }));
  }

  private void onRequest(Message<Object> message) {
    Future<VoiceReply> reply;
    try {
      reply = dispatch(VoiceRequest.fromJson(message.body()));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(answer -> message.reply(answer.toJson())).onFailure(failure -> {
      if (!(failure instanceof Codex32Exception)) {
        LOG.warn("voice request failed: {}", failure.toString());
      }
      BusFailures.fail(message, failure, FAILURE_CODE);
    });
  }

  private Future<VoiceReply> dispatch(VoiceRequest request) {
    if (request instanceof VoiceRequest.Status) {
      return Future.succeededFuture(new VoiceReply.EngineStatus(selection.name(), selection.available(), selection.reason()));
    } else if (request instanceof VoiceRequest.Open open) {
      return open(open);
    } else if (request instanceof VoiceRequest.Audio audio) {
      return audio(audio);
    } else if (request instanceof VoiceRequest.Finish finish) {
      return finish(finish);
    }
    Session session = sessions.remove(request.session());
    return session == null ? Future.succeededFuture(new VoiceReply.Cancelled()) : end(session).map(new VoiceReply.Cancelled());
  }

  private Future<VoiceReply> open(VoiceRequest.Open open) {
    if (open.sampleRate() != SpeechEngine.SAMPLE_RATE) {
      throw Codex32Exception.unprocessable("bad_sample_rate", "audio must be " + SpeechEngine.SAMPLE_RATE
          + " Hz mono 16-bit little-endian PCM, not " + open.sampleRate() + " Hz");
    }
    if (!SESSION_ID.matcher(open.session()).matches()) {
      throw Codex32Exception.unprocessable("bad_session", "a session id is 1 to 64 of A-Z a-z 0-9 _ . : -");
    }
    String partials = open.partialsAddress();
    if (partials != null && (!partials.startsWith(Addresses.voicePartials("")) || partials.length() > MAX_ADDRESS_CHARS)) {
      throw Codex32Exception.unprocessable("bad_partials_address", "partials go to an address starting with "
          + Addresses.voicePartials("") + " (at most " + MAX_ADDRESS_CHARS + " characters)");
    }
    checkVocabulary(open.vocabulary());
    if (selection.engine().isEmpty()) {
      throw Codex32Exception.unavailable("voice_unavailable", "no speech engine on node " + nodeId + ": " + selection.reason(), null);
    }
    if (sessions.containsKey(open.session())) {
      throw Codex32Exception.conflict("session_exists", "session '" + open.session() + "' is already open");
    }
    if (sessions.size() + finishing >= MAX_SESSIONS) {
      throw new Codex32Exception(429, "busy", "node " + nodeId + " already decodes " + MAX_SESSIONS + " sessions", new JsonArray(), 1,
          null);
    }
    SpeechEngine engine = selection.engine().get();
    Session session = new Session(open.session(), partials);
    sessions.put(session.id, session);
    return session.then(() -> {
      session.recognition = engine.open(open.vocabulary(), open.sampleRate());
      return null;
    }).map(v -> (VoiceReply) new VoiceReply.Opened(engine.name())).recover(failure -> {
      sessions.remove(session.id, session);
      if (failure instanceof EngineUnavailableException unavailable) {
        return Future.failedFuture(Codex32Exception.unavailable("voice_unavailable", unavailable.reason(), unavailable));
      }
      return Future.failedFuture(failure);
    });
  }

  private static void checkVocabulary(Vocabulary vocabulary) {
    List<String> phrases = new ArrayList<>(vocabulary.sentences());
    vocabulary.slots().forEach((name, values) -> {
      phrases.add(name);
      phrases.addAll(values);
    });
    if (vocabulary.sentences().isEmpty() || vocabulary.sentences().size() > MAX_SENTENCES || phrases.size() > MAX_SLOT_VALUES
        || phrases.stream().anyMatch(p -> p.length() > MAX_PHRASE_CHARS)) {
      throw Codex32Exception.unprocessable("bad_vocabulary", "a vocabulary has 1 to " + MAX_SENTENCES + " sentences, at most "
          + MAX_SLOT_VALUES + " slot names and values in all, each at most " + MAX_PHRASE_CHARS + " characters");
    }
  }

  private Future<VoiceReply> audio(VoiceRequest.Audio audio) {
    Session session = known(audio.session());
    byte[] pcm = audio.pcm();
    if (pcm.length % 2 != 0) {
      throw Codex32Exception.badRequest("bad_audio", "16-bit PCM comes in whole samples: an even number of bytes, not " + pcm.length);
    }
    if (pcm.length > MAX_CHUNK_BYTES) {
      throw new Codex32Exception(413, "chunk_too_large", "a chunk is at most " + MAX_CHUNK_BYTES + " bytes, got " + pcm.length);
    }
    if (audio.seq() != session.nextSeq) {
      throw Codex32Exception.conflict("bad_seq", "session '" + session.id + "' expects chunk " + session.nextSeq + ", got "
          + audio.seq());
    }
    if (session.bytes + pcm.length > maxAudioBytes) {
      sessions.remove(session.id);
      end(session);
      throw new Codex32Exception(413, "audio_too_long", "a session takes at most " + maxAudioBytes / 32_000
          + " s of audio (voice.max_seconds); session '" + session.id + "' is closed");
    }
    session.nextSeq++;
    session.bytes += pcm.length;
    session.lastActive = System.nanoTime();
    return session.then(() -> session.recognition.accept(pcm)).map(partial -> {
      partial.ifPresent(text -> {
        if (session.partials != null) {
          vertx.eventBus().publish(session.partials, new VoiceEvent.Partial(session.id, text).toJson());
        }
      });
      return (VoiceReply) new VoiceReply.Accepted(audio.seq());
    }).recover(failure -> {
      if (sessions.remove(session.id, session)) {
        end(session);
      }
      return Future.failedFuture(Codex32Exception.unavailable("decode_failed", "the engine failed on session '" + session.id + "': "
          + failure.getMessage(), failure));
    });
  }

  private Future<VoiceReply> finish(VoiceRequest.Finish finish) {
    Session session = known(finish.session());
    sessions.remove(session.id);
    finishing++;
    long started = System.nanoTime();
    Future<VoiceReply> transcript = session.then(() -> session.recognition.finish())
        .map(text -> (VoiceReply) new VoiceReply.Transcript(text, session.bytes / 32, (System.nanoTime() - started) / 1_000_000))
        .recover(failure -> Future.failedFuture(Codex32Exception.unavailable("decode_failed", "no transcript for session '" + session.id
            + "': " + failure.getMessage(), failure)));
    return transcript.andThen(done -> end(session).onComplete(closed -> finishing--));
  }

  private Session known(String id) {
    Session session = sessions.get(id);
    if (session == null) {
      throw new Codex32Exception(404, "unknown_session", "no open voice session '" + id + "' on node " + nodeId
          + " (never opened, finished, cancelled or closed after " + idleTimeout.toSeconds() + " s idle)");
    }
    return session;
  }

  private void closeIdle() {
    long now = System.nanoTime();
    new ArrayList<>(sessions.values()).stream().filter(session -> now - session.lastActive > idleTimeout.toNanos()).forEach(session -> {
      LOG.info("voice session '{}' on {} closed: no request for {} ms", session.id, nodeId, idleTimeout.toMillis());
      sessions.remove(session.id);
      end(session);
    });
  }

  /** Closes the session's recognition after whatever engine call it is running; never fails. */
  private Future<Void> end(Session session) {
    return session.then(() -> {
      if (session.recognition != null) {
        session.recognition.close();
      }
      return null;
    }).otherwise(failure -> {
      LOG.warn("voice session '{}' did not close cleanly: {}", session.id, failure.toString());
      return null;
    }).mapEmpty();
  }

  /** One session; its engine calls run one after the other, off the verticle's thread. */
  private final class Session {

    final String id;
    final String partials;
    Recognition recognition;
    long nextSeq;
    long bytes;
    long lastActive = System.nanoTime();
    private Future<?> tail = Future.succeededFuture();

    Session(String id, String partials) {
      this.id = id;
      this.partials = partials;
    }

    /** Runs {@code work} as blocking work once the session's previous engine call is done, whatever its outcome. */
    <T> Future<T> then(Callable<T> work) {
      Future<T> next = tail.transform(previous -> vertx.executeBlocking(work, false));
      tail = next;
      return next;
    }
  }
}
