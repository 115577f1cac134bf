package io.codex32.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.codex32.voice.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vocabulary against a real recogniser: every template word is in the pocketsphinx
 * dictionary, and pocketsphinx accepts the generated grammar and recognises synthetic speech
 * with it. Skipped where pocketsphinx, its English model, espeak-ng or sox is not installed.
 */
class IntentGrammarPocketsphinxTest {

  private static final Path DICT = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
  private static final Path POCKETSPHINX = Path.of("/usr/bin/pocketsphinx_continuous");
  private static final Map<String, List<String>> NAMES = Map.of(
      "bot", List.of("weather station", "pump two"),
      "pin", List.of("relay"),
      "device", List.of("sensor one"),
      "command", List.of("reboot"),
      "node", List.of("kitchen"),
      "workflow", List.of("nightly backup"));

  private static Set<String> dictionary;

  private static synchronized Set<String> dictionary() throws IOException {
    if (dictionary == null) {
      try (Stream<String> lines = Files.lines(DICT, StandardCharsets.UTF_8)) {
        // "word(2) phones..." is a second pronunciation of word
        dictionary = lines.map(l -> {
          int space = l.indexOf(' ');
          String word = space < 0 ? l : l.substring(0, space);
          int paren = word.indexOf('(');
          return paren > 0 ? word.substring(0, paren) : word;
        }).collect(Collectors.toSet());
      }
    }
    return dictionary;
  }

  @Test
  void everyTemplateAndListWordIsInTheDictionary() throws IOException {
    assumeTrue(Files.isReadable(DICT), "no pocketsphinx dictionary at " + DICT + " (Debian package pocketsphinx-en-us)");
    Set<String> dict = dictionary();
    Set<String> words = IntentCatalog.builtIn().vocabulary(Map.of()).words();
    assertThat(words).contains("start", "milliseconds", "hundred", "crashed").doesNotContain("weather").hasSizeGreaterThan(100);
    assertThat(words.stream().filter(w -> !dict.contains(w)).toList()).as("words pocketsphinx cannot say").isEmpty();
    // nothing is dropped for unknown words: every sentence reaches the grammar
    Vocabulary vocabulary = IntentCatalog.builtIn().vocabulary(NAMES);
    String grammar = vocabulary.jsgf(dict::contains);
    assertThat(grammar.split("\n")[2].split("\\) \\| \\(")).hasSize(vocabulary.sentences().size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "start the weather station | start_bot | bot=weather station",
      // several optional words in a row: PocketSphinx loses this sentence with alternative pronunciations on
      "list running bots | list_bots | status=running"})
  void pocketsphinxRecognisesSpeechWithTheGrammar(String sentence, String intent, String slot, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(POCKETSPHINX), "pocketsphinx_continuous is not installed");
    assumeTrue(Files.isReadable(DICT), "no pocketsphinx dictionary at " + DICT);
    assumeTrue(onPath("espeak-ng") && onPath("sox"), "espeak-ng and sox make the test speech; not installed");
    IntentCatalog catalog = IntentCatalog.builtIn();
    Set<String> dict = dictionary();
    Path grammar = Files.writeString(dir.resolve("g.jsgf"), catalog.vocabulary(NAMES).jsgf(dict::contains));
    Path raw = dir.resolve("speech.wav");
    Path wav = dir.resolve("speech16k.wav");
    run(dir, List.of("espeak-ng", "-v", "en-us", "-w", raw.toString(), sentence));
    run(dir, List.of("sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", wav.toString()));

    String heard = run(dir, List.of(POCKETSPHINX.toString(), "-infile", wav.toString(), "-jsgf", grammar.toString(),
        "-dict", DICT.toString(), "-fsgusealtpron", "no", "-logfn", "/dev/null")).trim();

    assertThat(heard).isEqualTo(sentence);
    String[] kv = slot.split("=");
    assertThat(catalog.match(heard)).contains(new IntentMatch(intent, Map.of(kv[0], kv[1])));
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  /** Runs a program (no shell), returns its standard output; fails on a non-zero exit or after 20 s. */
  private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(command.get(0) + " finished in time").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(command.get(0) + " exit status; stderr: " + Files.readString(err)).isZero();
    return Files.readString(out);
  }
}
