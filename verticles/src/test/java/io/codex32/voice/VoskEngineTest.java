package io.codex32.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vosk's native library from its jar, and its refusals of a missing or broken model. No Vosk model
 * can be downloaded in the build: recognition runs only with {@code VOSK_MODEL_DIR} naming one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoskEngineTest {

  @Test
  void theNativeLibraryLoadsOnLinuxX8664() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the vosk jar carries linux-x86-64, macOS and Windows libraries; this is " + System.getProperty("os.arch"));
    VoskEngine.loadNativeLibrary();
  }

  @Test
  void noModelConfiguredIsAReason() {
    assertThatThrownBy(() -> new VoskEngine(null).load()).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("voice.vosk_model");
  }

  @Test
  void aMissingModelDirectoryIsAReason(@TempDir Path dir) {
    Path missing = dir.resolve("vosk-model-small-en-us-0.15");
    assertThatThrownBy(() -> new VoskEngine(missing).load()).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
  }

  @Test
  void aFileInsteadOfAModelDirectoryIsAReason(@TempDir Path dir) throws Exception {
    Path garbage = Files.write(dir.resolve("model.zip"), new byte[] {1, 2, 3, 4});
    assertThatThrownBy(() -> new VoskEngine(garbage).load()).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void anEmptyOrGarbageModelDirectoryIsAReasonAndTheJvmGoesOn(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> new VoskEngine(empty).load()).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("is not a Vosk model");

    Path garbage = Files.createDirectories(dir.resolve("garbage/am"));
    Files.write(garbage.resolve("final.mdl"), "not a model".getBytes());
    Files.createDirectories(dir.resolve("garbage/conf"));
    Files.writeString(dir.resolve("garbage/conf/mfcc.conf"), "--garbage\n");
    assertThatThrownBy(() -> new VoskEngine(dir.resolve("garbage")).load()).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("is not a Vosk model");

    assertThat(Runtime.getRuntime().availableProcessors()).as("still running").isPositive();
  }

  @Test
  void autoFallsBackToVoskOnlyWhenItsModelLoads(@TempDir Path dir) {
    VoiceConfig auto = new VoiceConfig(VoiceConfig.Engine.AUTO, dir.resolve("none"), 15, "/nonexistent/pocketsphinx_continuous");
    EngineSelection selection = EngineSelection.select(auto);
    assertThat(selection.available()).isFalse();
    assertThat(selection.name()).isEqualTo("off");
    assertThat(selection.reason()).contains("/nonexistent/pocketsphinx_continuous").contains(dir.resolve("none").toString());

    EngineSelection vosk = EngineSelection.select(new VoiceConfig(VoiceConfig.Engine.VOSK, null, 15, "pocketsphinx_continuous"));
    assertThat(vosk.name()).isEqualTo("vosk");
    assertThat(vosk.reason()).contains("voice.vosk_model");
  }

  @Test
  void recognisesSpeechWithARealModel() throws Exception {
    String modelDir = System.getenv("VOSK_MODEL_DIR");
    assumeTrue(modelDir != null && !modelDir.isBlank(), "set VOSK_MODEL_DIR to a Vosk model directory (e.g. vosk-model-small-en-us-0.15) "
        + "to run recognition with Vosk; none can be downloaded in the build");
    Speech.assumeInstalled();
    try (VoskEngine engine = new VoskEngine(Path.of(modelDir))) {
      engine.load();
      String text;
      try (Recognition recognition = engine.open(Speech.BOTS, 16_000)) {
        byte[] pcm = Speech.pcm("start the weather station");
        Optional<String> partial = Optional.empty();
        for (int from = 0; from < pcm.length; from += 3200) {
          Optional<String> next = recognition.accept(java.util.Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + 3200)));
          partial = next.isPresent() ? next : partial;
        }
        assertThat(partial).as("some partial text while streaming").isPresent();
        text = recognition.finish();
      }
      assertThat(text).isEqualTo("start the weather station");
    }
  }
}
