package io.codex32.chat.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameMatcherTest {

  private static final Named WEATHER = new Named("weather-station", "Weather Station");
  private static final Named PUMP1 = new Named("pump-1", "Pump 1");
  private static final Named PUMP2 = new Named("pump-2", "Pump 2");
  private static final Named ANALYTICS = new Named("analytics-v1", "analyticsV1");
  private static final Named RELAY = new Named("17", "relay");
  private static final List<Named> BOTS = List.of(WEATHER, PUMP1, PUMP2, ANALYTICS);

  @Test
  void exactIdOrNameWins() {
    assertThat(NameMatcher.match("pump-2", BOTS)).isEqualTo(new NameMatch.Found(PUMP2));
    assertThat(NameMatcher.match("WEATHER STATION", BOTS)).isEqualTo(new NameMatch.Found(WEATHER));
    assertThat(NameMatcher.match("17", List.of(RELAY, new Named("gpio17", "fan")))).isEqualTo(new NameMatch.Found(RELAY));
  }

  @Test
  void spokenFormsMatchExactly() {
    assertThat(NameMatcher.match("pump two", BOTS)).isEqualTo(new NameMatch.Found(PUMP2));
    assertThat(NameMatcher.match("the pump 1", BOTS)).isEqualTo(new NameMatch.Found(PUMP1));
    assertThat(NameMatcher.match("analytics v one", BOTS)).isEqualTo(new NameMatch.Found(ANALYTICS));
    assertThat(NameMatcher.match("bot weatherstation", BOTS)).isEqualTo(new NameMatch.Found(WEATHER));
    assertThat(NameMatcher.match("pin seventeen", List.of(RELAY, new Named("gpio18", "fan")))).isEqualTo(new NameMatch.Found(RELAY));
  }

  @Test
  void fuzzyAndPartialNamesResolveWhenOnlyOneFits() {
    assertThat(NameMatcher.match("wether station", BOTS)).isEqualTo(new NameMatch.Found(WEATHER));
    assertThat(NameMatcher.match("weather", BOTS)).isEqualTo(new NameMatch.Found(WEATHER));
    assertThat(NameMatcher.match("the station", BOTS)).isEqualTo(new NameMatch.Found(WEATHER));
    assertThat(NameMatcher.match("analytics", BOTS)).isEqualTo(new NameMatch.Found(ANALYTICS));
  }

  @Test
  void severalAboutEquallyGoodAreAmbiguous() {
    assertThat(NameMatcher.match("pump", BOTS)).isInstanceOfSatisfying(NameMatch.Ambiguous.class,
        a -> assertThat(a.candidates()).containsExactlyInAnyOrder(PUMP1, PUMP2));
    Named display = new Named("weather-display", "Weather Display");
    assertThat(NameMatcher.match("weather", List.of(WEATHER, display, PUMP1))).isInstanceOfSatisfying(NameMatch.Ambiguous.class,
        a -> assertThat(a.candidates()).containsExactlyInAnyOrder(WEATHER, display));
    // two ids with the same spoken form
    Named pump2b = new Named("pump2", "pump2");
    assertThat(NameMatcher.match("pump two", List.of(PUMP2, pump2b))).isInstanceOf(NameMatch.Ambiguous.class);
  }

  @Test
  void aWrongNumberOrUnrelatedNameIsNotFoundWithSuggestions() {
    assertThat(NameMatcher.match("pump three", BOTS)).isInstanceOfSatisfying(NameMatch.NotFound.class,
        n -> assertThat(n.closest()).containsExactlyInAnyOrder(PUMP1, PUMP2));
    assertThat(NameMatcher.match("xylophone", BOTS)).isInstanceOfSatisfying(NameMatch.NotFound.class,
        n -> assertThat(n.closest()).hasSizeLessThanOrEqualTo(3).doesNotContain(PUMP1, PUMP2));
    assertThat(NameMatcher.match("", BOTS)).isEqualTo(new NameMatch.NotFound(List.of()));
    assertThat(NameMatcher.match("pump", List.of())).isEqualTo(new NameMatch.NotFound(List.of()));
  }

  @Test
  void aNameWithoutDisplayNameUsesItsId() {
    Named bare = new Named("heater", null);
    assertThat(NameMatcher.match("the heater", List.of(bare, PUMP1))).isEqualTo(new NameMatch.Found(bare));
  }
}
