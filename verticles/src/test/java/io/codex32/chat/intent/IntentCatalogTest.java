package io.codex32.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentCatalogTest {

  private static final IntentCatalog CATALOG = IntentCatalog.builtIn();

  /** "intent slot=value slot=value" for the text, or "none". */
  private static String parsed(String text) {
    Optional<IntentMatch> m = CATALOG.match(text);
    if (m.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder(m.get().intent());
    new java.util.TreeMap<>(m.get().slots()).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "list bots | list_bots",
      "List all the bots. | list_bots",
      "show running bots | list_bots status=running",
      "show me the failed bots | list_bots status=failed",
      "which bots are stopped? | list_bots status=stopped",
      "what is running | list_bots status=running",
      "what's running right now | list_bots status=running",
      "which bots crashed | none",
      "which bots are crashed | list_bots status=failed",
      "status of weather station | bot_status bot=weather station",
      "what is the status of the bot pump-2 | bot_status bot=pump-2",
      "how is analytics v one doing | bot_status bot=analytics v one",
      "is the weather station running | bot_status bot=weather station",
      "start the weather station | start_bot bot=weather station",
      "run bot analytics v one | start_bot bot=analytics v one",
      "Launch   weather-station!! | start_bot bot=weather-station",
      "stop pump two | stop_bot bot=pump two",
      "shut down the pump | stop_bot bot=pump",
      "restart analytics-v1 | restart_bot bot=analytics-v1",
      "start it again | start_bot",
      "stop it | stop_bot",
      "stop that | stop_bot",
      "restart that | restart_bot",
      "show the logs of weather station | bot_logs bot=weather station",
      "last log lines of pump | bot_logs bot=pump",
      "show its logs | bot_logs",
      "logs | bot_logs",
      "node status | node_status",
      "status of the nodes | node_status",
      "how is node pi one | node_status node=pi one",
      "is node kitchen online | node_status node=kitchen",
      "send reboot to the sensor one | device_command command=reboot device=sensor one",
      "tell greenhouse sensor to read humidity | device_command command=read humidity device=greenhouse sensor",
      "turn on the relay | gpio_write pin=relay value=on",
      "turn the relay off | gpio_write pin=relay value=off",
      "set pin seventeen to high | gpio_write pin=seventeen value=high",
      "switch gpio17 low | gpio_write pin=gpio17 value=low",
      "toggle the fan | gpio_toggle pin=fan",
      "flip relay | gpio_toggle pin=relay",
      "switch fan low | gpio_write pin=fan value=low",
      "how is pump two doing | bot_status bot=pump two",
      "is analytics v one running | bot_status bot=analytics v one",
      "no thanks | cancel",
      "go ahead | confirm",
      "pulse the door relay | gpio_pulse pin=door relay",
      "pulse the door relay for five hundred milliseconds | gpio_pulse ms=500 pin=door relay",
      "pulse buzzer for 250 ms | gpio_pulse ms=250 pin=buzzer",
      "pulse buzzer for one thousand two hundred fifty ms | gpio_pulse ms=1250 pin=buzzer",
      "pulse buzzer for twenty-five ms | gpio_pulse ms=25 pin=buzzer",
      "pulse buzzer for 1,500 ms | gpio_pulse ms=1500 pin=buzzer",
      "run workflow nightly backup | run_workflow workflow=nightly backup",
      "start the nightly backup workflow | run_workflow workflow=nightly backup",
      "and the pump | follow_up target=pump",
      "what about pump two | follow_up target=pump two",
      "and weather station | follow_up target=weather station",
      "help | help",
      "what can I say | help",
      "What can you do? | help",
      "yes | confirm",
      "yes please | confirm",
      "do it | confirm",
      "OK | confirm",
      "confirm | confirm",
      "no | cancel",
      "never mind | cancel",
      "cancel that | cancel",
      "forget it | cancel",
  })
  void everyIntentBySeveralPhrasings(String text, String expected) {
    assertThat(parsed(text)).isEqualTo(expected);
  }

  @Test
  void theMostSpecificTemplateWins() {
    // optional literal "the" is not swallowed by the free slot
    assertThat(CATALOG.match("start the weather station")).contains(new IntentMatch("start_bot", Map.of("bot", "weather station")));
    // "status of the nodes" is node_status, not bot_status with bot "nodes"
    assertThat(parsed("status of the nodes")).isEqualTo("node_status");
    // "how is node x" gives node x, not a bot called "node x"
    assertThat(parsed("how is node edge one")).isEqualTo("node_status node=edge one");
    // a workflow sentence beats "run {bot}" with bot "workflow nightly"
    assertThat(parsed("run workflow nightly")).isEqualTo("run_workflow workflow=nightly");
    // "stop that" is the context form of stop_bot; cancelling is "cancel", "no", "never mind"
    assertThat(parsed("stop that")).isEqualTo("stop_bot");
  }

  @Test
  void listSlotsMatchOnlyTheirValues() {
    assertThat(parsed("which bots are sleeping")).isEqualTo("none");
    assertThat(parsed("turn the relay sideways")).isEqualTo("none");
    // out of range: not a duration, so the words fall to the free pin slot (no such pin, says the chat)
    assertThat(parsed("pulse buzzer for 0 ms")).as("below the range").isEqualTo("gpio_pulse pin=buzzer for 0 ms");
    assertThat(parsed("pulse buzzer for 60001 ms")).as("above the range").doesNotContain("ms=");
    assertThat(parsed("pulse buzzer for sixty thousand ms")).isEqualTo("gpio_pulse ms=60000 pin=buzzer");
    assertThat(parsed("pulse buzzer for five hundred and fifty ms")).isEqualTo("gpio_pulse ms=550 pin=buzzer");
  }

  @Test
  void wholeUtteranceOnlyAndBounded() {
    assertThat(parsed("please start the weather station")).isEqualTo("none");
    assertThat(parsed("start the weather station now")).isEqualTo("start_bot bot=weather station now");
    assertThat(parsed("start")).isEqualTo("none");
    assertThat(parsed("")).isEqualTo("none");
    assertThat(parsed("   ...  ")).isEqualTo("none");
    assertThat(parsed(null)).isEqualTo("none");
    assertThat(parsed("start " + "x ".repeat(IntentCatalog.MAX_WORDS))).isEqualTo("none");
  }

  @Test
  void examplesAreOnePerUserFacingIntentAndMatchTheirIntent() {
    assertThat(CATALOG.examples()).contains("list bots", "status of <bot>", "start <bot>", "stop <bot>", "restart <bot>",
        "toggle <pin>", "send <command> to <device>", "help");
    assertThat(CATALOG.examples()).noneMatch(e -> e.equals("yes") || e.equals("no"));
    for (String example : CATALOG.examples()) {
      // the placeholder filled in with a name, the example must mean its intent
      String filled = example.replaceAll("<[a-z_]+>", "zeta");
      assertThat(CATALOG.match(filled)).as(filled).isPresent();
    }
    assertThat(CATALOG.match("turn on zeta")).contains(new IntentMatch("gpio_write", Map.of("value", "on", "pin", "zeta")));
  }

  @Test
  void suggestionsRankTheClosestIntentFirst() {
    assertThat(CATALOG.suggestions("restrat the weather station", 3)).first().isEqualTo("restart <bot>");
    assertThat(CATALOG.suggestions("togle fan", 2)).first().isEqualTo("toggle <pin>");
    assertThat(CATALOG.suggestions("which nodes", 3)).contains("node status");
  }

  @Test
  void gibberishStillGetsSuggestions() {
    assertThat(CATALOG.suggestions("blorp zzkx quux", 3)).hasSize(3).allMatch(CATALOG.examples()::contains);
    assertThat(CATALOG.suggestions("", 2)).hasSize(2);
    assertThat(CATALOG.suggestions("list bots", 0)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "analytics-v1 | analytics v one",
      "pump2 | pump two",
      "gpio17 | gpio seventeen",
      "weatherStation | weather station",
      "HTTPServer_main | http server main",
      "Weather Station | weather station",
      "node.kitchen-01 | node kitchen zero one",
      "sensor_1500 | sensor one thousand five hundred",
      "id-12345678 | id one two three four five six seven eight",
      "bot 0 | bot zero",
  })
  void spokenForms(String name, String spoken) {
    assertThat(IntentCatalog.spoken(name)).isEqualTo(spoken);
  }

  @Test
  void spokenNamesMatchAsTheyAreSaid() {
    assertThat(parsed("start " + IntentCatalog.spoken("analytics-v1"))).isEqualTo("start_bot bot=analytics v one");
  }

  @Test
  void vocabularyRendersSentencesAndSlotsForJsgf() {
    Map<String, java.util.List<String>> names = new LinkedHashMap<>();
    names.put("bot", java.util.List.of("weather station", "Pump2"));
    names.put("command", java.util.List.of("reboot"));
    names.put("device", java.util.List.of("sensor one"));
    var vocabulary = CATALOG.vocabulary(names);
    assertThat(vocabulary.sentences()).contains("start [ the ] [ bot ] <bot>", "send <command_slot> to [ the ] [ device ] <device>",
        "pulse [ the ] [ pin ] <pin> [ for <ms> ( milliseconds | millisecond | millis | ms ) ]");
    assertThat(vocabulary.slots().get("bot")).containsExactly("weather station", "pump two");
    assertThat(vocabulary.slots().get("ms")).contains("five hundred", "one thousand five hundred").noneMatch(v -> v.matches(".*\\d.*"));
    assertThat(vocabulary.slots().get("value")).containsExactly("on", "off", "high", "low");
    assertThat(vocabulary.slots().get("status")).contains("running", "crashed");
    assertThat(vocabulary.slots().get("target")).as("defaults to every name").contains("weather station", "pump two", "sensor one");
    assertThat(vocabulary.slots()).doesNotContainKeys("pin", "node", "workflow", "command");
    String grammar = vocabulary.jsgf(w -> true);
    assertThat(grammar).contains("public <command> = ").contains("<command_slot> = reboot;").doesNotContain("<command> = reboot");
    // a sentence whose slot has no values is left out of the grammar
    assertThat(grammar).doesNotContain("<pin>");
  }
}
