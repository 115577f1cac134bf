package io.codex32.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.bus.VoiceReply;
import io.codex32.bus.VoiceRequest;
import io.codex32.error.Codex32Exception;
import io.codex32.live.LocalNodeLiveState;
import io.codex32.nodes.NodeRegistry;
import io.codex32.nodes.NodeView;
import io.codex32.test.Await;
import io.codex32.test.MutableClock;
import io.codex32.test.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The voice verticle with the real PocketSphinx on a real Vert.x event bus, driven through
 * {@link VoiceClient} and by raw requests for what a well-behaved client never sends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceVerticleTest {

  private static final String NODE = "pi-1";
  private static final int MAX_SECONDS = 8;
  private static final Duration IDLE = Duration.ofMillis(800);
  private static final VoiceConfig CONFIG = new VoiceConfig(VoiceConfig.Engine.POCKETSPHINX, null, MAX_SECONDS, "pocketsphinx_continuous");

  private Vertx vertx;
  private VoiceClient client;

  @BeforeEach
  void start() {
    Speech.assumeInstalled();
    vertx = TestVertx.create();
    client = new VoiceClient(vertx);
    EngineSelection selection = EngineSelection.select(CONFIG);
    assertThat(selection.available()).as(String.valueOf(selection.reason())).isTrue();
    Await.result(VoiceVerticle.deploy(vertx, new VoiceVerticle(NODE, selection, CONFIG, IDLE)));
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
      Await.until(() -> pocketsphinxChildren() == 0, "no pocketsphinx process left after undeploy");
    }
  }

  @Test
  void streamedSpeechBecomesPartialsAndATranscript() {
    List<String> partials = new CopyOnWriteArrayList<>();
    VoiceSession session = Await.result(client.open(NODE, Speech.BOTS, 16_000, partials::add));
    byte[] first = Speech.concat(Speech.pcm("start the weather station"), Speech.silence(1));
    send(session, first);
    // as from a microphone, silence goes on until the engine says what it heard in the first sentence
    long[] more = {0};
    Await.until(() -> {
      send(session, Speech.silence(0.1));
      more[0]++;
      return !partials.isEmpty();
    }, "a partial after the first sentence");
    byte[] second = Speech.pcm("stop the pump two");
    send(session, second);
    VoiceReply.Transcript transcript = Await.result(session.finish());

    assertThat(partials.get(0)).isEqualTo("start the weather station");
    assertThat(transcript.text()).isEqualTo("start the weather station stop the pump two");
    assertThat(transcript.audioMs()).isEqualTo((first.length + more[0] * 3200 + second.length) / 32);
    assertThat(transcript.decodeMs()).isLessThan(5_000);
    assertThat(refused(new VoiceRequest.Audio(session.id(), 0, new byte[2])).code()).as("the session is over").isEqualTo("unknown_session");
  }

  @Test
  void theStatusNamesTheEngine() {
    assertThat(Await.result(client.status(NODE))).isEqualTo(new VoiceReply.EngineStatus("pocketsphinx", true, null));
    assertThat(Await.result(new VoiceHealth(client, NODE).report()))
        .isEqualTo(new JsonObject().put("node", NODE).put("engine", "pocketsphinx").put("available", true));
    JsonObject missing = Await.result(new VoiceHealth(client, "ghost").report());
    assertThat(missing.getBoolean("available")).isFalse();
    assertThat(missing.getString("reason")).contains("ghost");
  }

  @Test
  void everyClientMistakeIsRefusedWithItsCode() {
    Codex32Exception rate = refused(new VoiceRequest.Open("s1", 8_000, Speech.BOTS, null));
    assertThat(rate.status()).isEqualTo(422);
    assertThat(rate.code()).isEqualTo("bad_sample_rate");
    assertThat(refused(new VoiceRequest.Open("../x y", 16_000, Speech.BOTS, null)).code()).isEqualTo("bad_session");
    assertThat(refused(new VoiceRequest.Open("s1", 16_000, Speech.BOTS, Addresses.executor(NODE))).code())
        .isEqualTo("bad_partials_address");
    assertThat(refused(new VoiceRequest.Open("s1", 16_000, new Vocabulary(List.of(), java.util.Map.of()), null)).code())
        .isEqualTo("bad_vocabulary");

    Codex32Exception unknown = refused(new VoiceRequest.Audio("nobody", 0, new byte[2]));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_session");
    assertThat(refused(new VoiceRequest.Finish("nobody")).code()).isEqualTo("unknown_session");

    Await.result(request(new VoiceRequest.Open("s1", 16_000, Speech.BOTS, null)));
    assertThat(refused(new VoiceRequest.Open("s1", 16_000, Speech.BOTS, null)).code()).isEqualTo("session_exists");
    Await.result(request(new VoiceRequest.Audio("s1", 0, new byte[3200])));
    Codex32Exception gap = refused(new VoiceRequest.Audio("s1", 2, new byte[3200]));
    assertThat(gap.status()).isEqualTo(409);
    assertThat(gap.code()).isEqualTo("bad_seq");
    Codex32Exception odd = refused(new VoiceRequest.Audio("s1", 1, new byte[3201]));
    assertThat(odd.status()).isEqualTo(400);
    assertThat(odd.code()).isEqualTo("bad_audio");
    assertThat(refused(new VoiceRequest.Audio("s1", 1, new byte[VoiceVerticle.MAX_CHUNK_BYTES + 2])).code()).isEqualTo("chunk_too_large");
    assertThat(Await.result(request(new VoiceRequest.Audio("s1", 1, new byte[3200])))).as("the session survives refused chunks")
        .isEqualTo(new VoiceReply.Accepted(1));

    Codex32Exception unreadable = Await.failure(vertx.eventBus().request(Addresses.voice(NODE), new JsonObject().put("action", "explode"))
        .recover(failure -> Future.failedFuture(io.codex32.bus.BusFailures.fromRecipient((io.vertx.core.eventbus.ReplyException) failure,
            "refused"))));
    assertThat(unreadable.status()).isEqualTo(400);
    assertThat(Await.result(request(new VoiceRequest.Cancel("s1")))).isEqualTo(new VoiceReply.Cancelled());
    assertThat(Await.result(request(new VoiceRequest.Cancel("s1")))).as("cancel is idempotent").isEqualTo(new VoiceReply.Cancelled());
  }

  @Test
  void audioBeyondMaxSecondsEndsTheSessionAndItsProcess() {
    Await.result(request(new VoiceRequest.Open("long", 16_000, Speech.BOTS, null)));
    Await.until(() -> pocketsphinxChildren() == 1, "one pocketsphinx process for the session");
    long seq = 0;
    long bytes = 0;
    Codex32Exception tooLong = null;
    while (tooLong == null) {
      byte[] chunk = new byte[32_000];
      if (bytes + chunk.length <= MAX_SECONDS * 32_000L) {
        Await.result(request(new VoiceRequest.Audio("long", seq++, chunk)));
        bytes += chunk.length;
      } else {
        tooLong = refused(new VoiceRequest.Audio("long", seq, chunk));
      }
    }
    assertThat(tooLong.status()).isEqualTo(413);
    assertThat(tooLong.code()).isEqualTo("audio_too_long");
    assertThat(refused(new VoiceRequest.Audio("long", seq, new byte[2])).code()).isEqualTo("unknown_session");
    Await.until(() -> pocketsphinxChildren() == 0, "the session's process ended");
  }

  @Test
  void atMostFourSessionsAtOnce() {
    for (int i = 0; i < VoiceVerticle.MAX_SESSIONS; i++) {
      Await.result(request(new VoiceRequest.Open("s" + i, 16_000, Speech.BOTS, null)));
    }
    Codex32Exception busy = refused(new VoiceRequest.Open("s9", 16_000, Speech.BOTS, null));
    assertThat(busy.status()).isEqualTo(429);
    assertThat(busy.code()).isEqualTo("busy");

    Await.result(request(new VoiceRequest.Cancel("s0")));
    assertThat(Await.result(request(new VoiceRequest.Open("s9", 16_000, Speech.BOTS, null))))
        .isEqualTo(new VoiceReply.Opened("pocketsphinx"));
  }

  @Test
  void anIdleSessionIsClosedWithItsProcess() {
    Await.result(request(new VoiceRequest.Open("idle", 16_000, Speech.BOTS, null)));
    Await.until(() -> pocketsphinxChildren() == 1, "one pocketsphinx process for the session");
    // a chunk out of order is refused before it counts as activity: it probes without keeping the session alive
    Await.until(() -> refusal(new VoiceRequest.Audio("idle", 99, new byte[2])), "unknown_session"::equals, "the idle session closed");
    Await.until(() -> pocketsphinxChildren() == 0, "its process ended");
  }

  @Test
  void aNodeWithoutEngineSaysWhyAndRefusesSessions() {
    VoiceConfig off = new VoiceConfig(VoiceConfig.Engine.OFF, null, 15, "pocketsphinx_continuous");
    Await.result(VoiceVerticle.deploy(vertx, new VoiceVerticle("pi-2", EngineSelection.select(off), off, IDLE)));

    assertThat(Await.result(client.status("pi-2"))).isEqualTo(new VoiceReply.EngineStatus("off", false, "voice.engine is off"));
    Codex32Exception unavailable = Await.failure(client.open("pi-2", Speech.BOTS, 16_000, text -> { }));
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.code()).isEqualTo("voice_unavailable");
    assertThat(unavailable.getMessage()).contains("voice.engine is off");

    Codex32Exception gone = Await.failure(client.status("ghost"));
    assertThat(gone.status()).isEqualTo(503);
    assertThat(gone.code()).isEqualTo("node_unavailable");
  }

  @Test
  void withTheRegistryAnUnknownNodeIs404AndAnOfflineOneIs503WithoutSending() {
    MutableClock clock = MutableClock.startingNow();
    NodeRegistry registry = new NodeRegistry(clock, Duration.ofSeconds(5), new LocalNodeLiveState(clock));
    Await.result(registry.register(vertx));
    VoiceClient guarded = new VoiceClient(vertx, registry);

    Codex32Exception unknown = Await.failure(guarded.open(NODE, Speech.BOTS, 16_000, text -> { }));
    assertThat(unknown.status()).as("pi-1's voice service runs, but no heartbeat came from it").isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("not_found");
    assertThat(unknown.getMessage()).isEqualTo("no node 'pi-1' has reported");

    vertx.eventBus().publish(Addresses.NODE_HEARTBEAT, new NodeHeartbeat(NODE, "pi-1.lan", Map.of(), 4, 3_800, 1.0, 900, 0.1, "0.1.0",
        0, clock.instant(), null).toJson());
    Await.until(() -> registry.find(NODE).map(NodeView::online).orElse(false), "pi-1 online");
    VoiceSession session = Await.result(guarded.open(NODE, Speech.BOTS, 16_000, text -> { }));
    Await.result(session.audio(Buffer.buffer(new byte[3200])));
    session.cancel();

    clock.advance(Duration.ofSeconds(6));
    Await.until(() -> registry.find(NODE).map(view -> !view.online()).orElse(false), "pi-1 offline");
    Codex32Exception offline = Await.failure(guarded.open(NODE, Speech.BOTS, 16_000, text -> { }));
    assertThat(offline.status()).as("the node's voice service would have answered: nothing was sent").isEqualTo(503);
    assertThat(offline.code()).isEqualTo("node_unavailable");
    assertThat(offline.getMessage()).startsWith("node 'pi-1' is offline since");
    registry.close();
  }

  @Test
  void aHungEngineHoldsOnlyItsOwnSession(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("hang.sh");
    Files.writeString(script, "#!/bin/sh\nexec sleep 300\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    PocketsphinxEngine hanging = new PocketsphinxEngine(script.toString(), PocketsphinxEngine.DEBIAN_MODEL,
        PocketsphinxEngine.DEBIAN_DICTIONARY, Duration.ofSeconds(2));
    VoiceVerticle verticle = new VoiceVerticle("pi-3", new EngineSelection(Optional.of(hanging), "pocketsphinx", null), CONFIG, IDLE);
    Await.result(VoiceVerticle.deploy(vertx, verticle));
    VoiceSession stuck = Await.result(client.open("pi-3", Speech.BOTS, 16_000, text -> { }));
    Await.result(stuck.audio(Buffer.buffer(new byte[32_000])));

    long started = System.nanoTime();
    Future<VoiceReply.Transcript> finishing = stuck.finish();
    VoiceSession other = Await.result(client.open("pi-3", Speech.BOTS, 16_000, text -> { }));
    Await.result(other.audio(Buffer.buffer(new byte[3200])));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("served while the other session hangs").isLessThan(Duration.ofSeconds(1));

    Codex32Exception failed = Await.failure(finishing);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.code()).isEqualTo("decode_failed");
    assertThat(failed.getMessage()).contains("did not finish within 2000 ms");
    other.cancel();
  }

  private static void send(VoiceSession session, byte[] pcm) {
    for (int from = 0; from < pcm.length; from += 3200) {
      Await.result(session.audio(Buffer.buffer(Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + 3200)))));
    }
  }

  private Future<VoiceReply> request(VoiceRequest request) {
    return client.send(NODE, request, VoiceClient.REQUEST_TIMEOUT_MS);
  }

  private Codex32Exception refused(VoiceRequest request) {
    return Await.failure(request(request));
  }

  private String refusal(VoiceRequest request) {
    try {
      return request(request).toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure instanceof Codex32Exception e
          ? e.code() : String.valueOf(ok)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long pocketsphinxChildren() {
    return ProcessHandle.current().descendants()
        .filter(process -> process.info().command().map(command -> command.endsWith("pocketsphinx_continuous")).orElse(false))
        .count();
  }
}
