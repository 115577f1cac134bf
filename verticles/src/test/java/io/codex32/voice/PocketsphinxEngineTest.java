package io.codex32.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.test.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Debian's pocketsphinx_continuous as a child process, on speech made by espeak-ng. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PocketsphinxEngineTest {

  private PocketsphinxEngine engine;

  @BeforeEach
  void engine() {
    Speech.assumeInstalled();
    engine = PocketsphinxEngine.debian("pocketsphinx_continuous");
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void recognisesASentenceOfTheVocabularyExactly() throws Exception {
    assertThat(engine.transcribe(Speech.BOTS, 16_000, Speech.pcm("start the weather station"))).isEqualTo("start the weather station");
    assertThat(engine.transcribe(Speech.BOTS, 16_000, Speech.pcm("stop the pump two"))).isEqualTo("stop the pump two");
  }

  @Test
  void streamingThroughTheEngineGivesWhatTheCommandGivesOnTheWavFile(@TempDir Path dir) throws Exception {
    Path grammar = dir.resolve("g.jsgf");
    Files.writeString(grammar, Speech.BOTS.jsgf(engine.knownWords()::contains));
    Path wav = Speech.wav("start the weather station");
    String direct = Speech.run("pocketsphinx_continuous", "-infile", wav.toString(), "-jsgf", grammar.toString(), "-logfn", "/dev/null")
        .strip();

    assertThat(direct).isEqualTo("start the weather station");
    assertThat(engine.transcribe(Speech.BOTS, 16_000, Speech.pcm("start the weather station"))).isEqualTo(direct);
  }

  @Test
  void aNameOutsideTheVocabularyIsNotHeardAsOne() throws Exception {
    Vocabulary pumpOnly = new Vocabulary(List.of("(start | stop) [the] <bot>"), Map.of("bot", List.of("pump two")));

    String text = engine.transcribe(pumpOnly, 16_000, Speech.pcm("start the weather station"));

    assertThat(text).doesNotContain("weather").doesNotContain("station");
  }

  @Test
  void eachUtteranceIsAPartialAsSoonAsItEnded() throws Exception {
    try (Recognition recognition = engine.open(Speech.BOTS, 16_000)) {
      byte[] first = Speech.concat(Speech.pcm("start the weather station"), Speech.silence(1.5));
      for (int from = 0; from < first.length; from += 3200) {
        assertThat(recognition.accept(Arrays.copyOfRange(first, from, Math.min(first.length, from + 3200)))).isEmpty();
      }
      Optional<String> partial = Await.until(() -> recognition.accept(new byte[0]), Optional::isPresent,
          "the first utterance reported before the audio ends");
      assertThat(partial).contains("start the weather station");

      recognition.accept(Speech.pcm("stop the pump two"));
      assertThat(recognition.finish()).isEqualTo("start the weather station stop the pump two");
    }
  }

  @Test
  void silenceIsAnEmptyTranscript() throws Exception {
    assertThat(engine.transcribe(Speech.BOTS, 16_000, Speech.silence(1))).isEmpty();
  }

  @Test
  void aProcessThatDoesNotFinishIsKilledWithItsChildren(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    Path script = dir.resolve("hang.sh");
    Files.writeString(script, "#!/bin/sh\nsleep 300 &\necho $$ $! > " + pids + "\nwait\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    PocketsphinxEngine hanging = new PocketsphinxEngine(script.toString(), PocketsphinxEngine.DEBIAN_MODEL,
        PocketsphinxEngine.DEBIAN_DICTIONARY, Duration.ofMillis(500));
    try (Recognition recognition = hanging.open(Speech.BOTS, 16_000)) {
      recognition.accept(Speech.pcm("start the weather station"));
      String written = Await.until(() -> read(pids), text -> text.split(" ").length == 2, "the script wrote its pids");
      List<ProcessHandle> tree = Arrays.stream(written.split(" ")).map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow())
          .toList();

      long started = System.nanoTime();
      assertThatThrownBy(recognition::finish).isInstanceOf(RecognitionException.class).hasMessageContaining("did not finish within 500 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      Await.until(() -> tree.stream().noneMatch(ProcessHandle::isAlive), "the script and its sleep killed");
    } finally {
      hanging.close();
    }
  }

  @Test
  void aMissingCommandOrModelIsAnUnavailableEngineWithItsReason() {
    PocketsphinxEngine noCommand = PocketsphinxEngine.debian("/nonexistent/pocketsphinx_continuous");
    assertThatThrownBy(() -> noCommand.open(Speech.BOTS, 16_000)).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("voice.pocketsphinx_command").hasMessageContaining("/nonexistent/pocketsphinx_continuous");

    PocketsphinxEngine noModel = new PocketsphinxEngine("pocketsphinx_continuous", Path.of("/nonexistent/model"),
        PocketsphinxEngine.DEBIAN_DICTIONARY, Duration.ofSeconds(1));
    assertThat(noModel.unavailability()).hasValueSatisfying(reason -> assertThat(reason).contains("/nonexistent/model"));
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
