package io.codex32.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Extra intent files: how they extend the shipped intents and how a broken one is reported. */
class IntentFilesTest {

  /** A row's YAML that starts with this is one template added to stop_bot. */
  private static final String TEMPLATE = "stop_bot template ";

  @TempDir
  Path dir;

  private Path file(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "intents", ".yaml"), yaml);
  }

  @Test
  void anExtraFileAddsSentencesAndListValues() throws IOException {
    Path extra = file("""
        lists:
          status:
            values:
              - in: dead
                out: failed
          value:
            values: [lit, dark]
        intents:
          start_bot:
            sentences:
              - (fire up|wake up) [the] {bot}
          help:
            sentences:
              - i am lost
        """);
    IntentCatalog catalog = IntentCatalog.load(List.of(extra));

    assertThat(catalog.match("fire up the weather station")).contains(new IntentMatch("start_bot", Map.of("bot", "weather station")));
    assertThat(catalog.match("I am lost")).contains(new IntentMatch("help", Map.of()));
    assertThat(catalog.match("which bots are dead")).contains(new IntentMatch("list_bots", Map.of("status", "failed")));
    assertThat(catalog.match("turn lit the relay")).contains(new IntentMatch("gpio_write", Map.of("value", "lit", "pin", "relay")));
    // the shipped sentences still work, and the built-in catalog is not changed
    assertThat(catalog.match("start the pump")).contains(new IntentMatch("start_bot", Map.of("bot", "pump")));
    assertThat(IntentCatalog.builtIn().match("fire up the weather station")).isEmpty();
    assertThat(catalog.vocabulary(Map.of("bot", List.of("pump"))).sentences()).contains("( fire up | wake up ) [ the ] <bot>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
      "unknown slot | stop_bot template halt {robot} | intent stop_bot, template \"halt {robot}\": unknown slot {robot}",
      "slot of another intent | stop_bot template halt {pin} | intent stop_bot, template \"halt {pin}\": unknown slot {pin}",
      "unbalanced ( | stop_bot template (halt|end {bot} | template \"(halt|end {bot}\": unbalanced '('",
      "unbalanced [ | stop_bot template halt [the {bot} | template \"halt [the {bot}\": unbalanced '['",
      "unbalanced ) | stop_bot template halt) {bot} | template \"halt) {bot}\": unbalanced ')'",
      "unbalanced { | stop_bot template halt {bot | template \"halt {bot\": unbalanced '{'",
      "alternative in a slot | stop_bot template halt {bot|pin} | template \"halt {bot|pin}\": alternative inside the slot",
      "empty alternative | stop_bot template (halt|) {bot} | template \"(halt|) {bot}\": empty alternative",
      "only optional | stop_bot template '[halt]' | template \"[halt]\": the template can match an empty sentence",
      "digits | stop_bot template halt 42 | template \"halt 42\": unexpected character '4'",
      "empty intent | intents:\\n  stop_bot:\\n    sentences: [] | intent stop_bot has no sentences",
      "intent without sentences | intents:\\n  stop_bot: {} | intent stop_bot has no sentences",
      "unknown intent | intents:\\n  fly_away:\\n    sentences: [fly] | unknown intent fly_away",
      "new slots | intents:\\n  stop_bot:\\n    slots: [robot]\\n    sentences: [halt] | intent stop_bot: unknown key slots",
      "misspelt key | intents:\\n  stop_bot:\\n    sentence: [halt] | intent stop_bot: unknown key sentence",
      "unknown list | lists:\\n  colour:\\n    values: [red]\\nintents:\\n  help:\\n    sentences: [hi] | unknown list colour",
      "taken sentence | intents:\\n  cancel:\\n    sentences: [stop that] | the sentence \"stop that\" also belongs to intent stop_bot",
      "no intents | lists: {} | no intents",
      "not YAML | 'intents: [unclosed | not valid YAML",
      "duplicate key | intents:\\n  help:\\n    sentences: [hi]\\n  help:\\n    sentences: [yo] | not valid YAML",
  })
  void anInvalidFileIsRejectedNamingFileIntentAndTemplate(String what, String yaml, String message) throws IOException {
    String text = yaml.startsWith(TEMPLATE) ? "intents:\n  stop_bot:\n    sentences:\n      - " + yaml.substring(TEMPLATE.length()) : yaml;
    Path bad = file(text.replace("\\n", "\n"));
    assertThatThrownBy(() -> IntentCatalog.load(List.of(bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(bad.toString() + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void anUnreadableFileNamesItsPath() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> IntentCatalog.load(List.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read intents file " + missing);
  }
}
