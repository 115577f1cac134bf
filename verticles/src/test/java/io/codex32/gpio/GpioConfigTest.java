package io.codex32.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.bus.GpioReply;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import io.codex32.config.ConfigException;
import io.codex32.config.EdgeNodeConfig;
import io.codex32.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gpio.*} as the gateway and the edge node read it: defaults, the contract's key names, and one line naming the bad key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GpioConfigTest {

  private static final String CONTRACT = """
      {"gpio": {"enabled": true, "provider": "mock", "pins": [
        {"name": "relay", "bcm": 17, "mode": "output", "initial": "low", "shutdown": "low"},
        {"name": "button", "bcm": 27, "mode": "input", "pull": "up", "debounce_ms": 20}]}}
      """;

  @TempDir
  Path dir;

  @Test
  void gpioIsOffOnTheGatewayAndAutoOnAnEdgeNodeByDefault() {
    assertThat(GatewayConfig.load(List.of(), Map.of()).gpio()).isEqualTo(new GpioConfig(false, GpioProvider.AUTO, List.of()));
    assertThat(EdgeNodeConfig.load(List.of(), Map.of()).gpio()).isEqualTo(new GpioConfig(true, GpioProvider.AUTO, List.of()));
  }

  @Test
  void theContractsKeyNamesDeclareARelayAndAButton() throws Exception {
    Path file = Files.writeString(dir.resolve("edge.json"), CONTRACT);

    GpioConfig gpio = EdgeNodeConfig.load(List.of("--conf", file.toString()), Map.of()).gpio();

    assertThat(gpio.enabled()).isTrue();
    assertThat(gpio.provider()).isEqualTo(GpioProvider.MOCK);
    assertThat(gpio.pins()).containsExactly(
        new PinSpec("relay", 17, PinMode.OUTPUT, null, false, 0, PinValue.LOW, PinValue.LOW, 0, null),
        new PinSpec("button", 27, PinMode.INPUT, Pull.UP, false, 20, null, null, 0, null));
  }

  @Test
  void pinsComeFromTheEnvironmentAsJsonText() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_GPIO_ENABLED", "true", "CODEX32_GPIO_PROVIDER", "gpiod",
        "CODEX32_GPIO_PINS", "[{\"name\": \"fan\", \"bcm\": 18, \"mode\": \"pwm\", \"label\": \"Case fan\"}]"));

    assertThat(config.gpio()).isEqualTo(new GpioConfig(true, GpioProvider.GPIOD,
        List.of(new PinSpec("fan", 18, PinMode.PWM, null, false, 0, null, null, PinSpec.DEFAULT_FREQUENCY_HZ, "Case fan"))));
  }

  @Test
  void inputsDebounceByDefaultAndOutputsStartAndStopLow() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_GPIO_PINS",
        "[{\"name\": \"door\", \"bcm\": 4, \"mode\": \"input\"},"
            + " {\"name\": \"lamp\", \"bcm\": 5, \"mode\": \"output\", \"active_low\": true}]"));

    assertThat(config.gpio().pins()).containsExactly(
        new PinSpec("door", 4, PinMode.INPUT, Pull.NONE, false, PinSpec.DEFAULT_DEBOUNCE_MS, null, null, 0, null),
        new PinSpec("lamp", 5, PinMode.OUTPUT, null, true, 0, PinValue.LOW, PinValue.LOW, 0, null));
  }

  @Test
  void anOutputMarkedConfirmSaysSoInItsState() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_GPIO_PINS",
        "[{\"name\": \"pump\", \"bcm\": 17, \"mode\": \"output\", \"confirm\": true}]"));

    PinSpec pump = config.gpio().pins().get(0);
    assertThat(pump.confirm()).isTrue();
    assertThat(new GpioReply.PinState("pump", 17, PinMode.OUTPUT, PinValue.LOW, null, null, null, true).toJson().getBoolean("confirm"))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "duplicate name | [{'name':'a','bcm':17,'mode':'output'},{'name':'a','bcm':18,'mode':'output'}] | gpio.pins[1].name: ",
      "duplicate BCM number | [{'name':'a','bcm':17,'mode':'output'},{'name':'b','bcm':17,'mode':'input'}] | gpio.pins[1].bcm: ",
      "BCM out of range | [{'name':'a','bcm':28,'mode':'output'}] | gpio.pins[0].bcm: ",
      "negative BCM | [{'name':'a','bcm':-1,'mode':'output'}] | gpio.pins[0].bcm: ",
      "no BCM | [{'name':'a','mode':'output'}] | gpio.pins[0].bcm: ",
      "bad mode | [{'name':'a','bcm':17,'mode':'blink'}] | gpio.pins[0].mode: ",
      "bad pull | [{'name':'a','bcm':17,'mode':'input','pull':'sideways'}] | gpio.pins[0].pull: ",
      "pull on an output | [{'name':'a','bcm':17,'mode':'output','pull':'up'}] | gpio.pins[0].pull: ",
      "initial on an input | [{'name':'a','bcm':17,'mode':'input','initial':'high'}] | gpio.pins[0].initial: ",
      "bad shutdown state | [{'name':'a','bcm':17,'mode':'output','shutdown':'off'}] | gpio.pins[0].shutdown: ",
      "debounce out of range | [{'name':'a','bcm':17,'mode':'input','debounce_ms':5000}] | gpio.pins[0].debounce_ms: ",
      "pwm on a pin without hardware PWM | [{'name':'a','bcm':17,'mode':'pwm'}] | gpio.pins[0].bcm: ",
      "pwm frequency out of range | [{'name':'a','bcm':18,'mode':'pwm','frequency_hz':0}] | gpio.pins[0].frequency_hz: ",
      "bad name | [{'name':'Relay 1','bcm':17,'mode':'output'}] | gpio.pins[0].name: ",
      "confirm on an input | [{'name':'a','bcm':17,'mode':'input','confirm':true}] | gpio.pins[0].confirm: ",
      "confirm that is not a flag | [{'name':'a','bcm':17,'mode':'output','confirm':'yes'}] | gpio.pins[0].confirm: ",
      "unknown pin key | [{'name':'a','bcm':17,'mode':'output','colour':'red'}] | gpio.pins[0].colour: ",
      "a pin that is not an object | [17] | gpio.pins[0]: ",
      "not a JSON array | {'name':'a'} | gpio.pins (CODEX32_GPIO_PINS): "})
  void anInvalidPinStopsTheStartNamingItsKey(String problem, String pins, String key) {
    Map<String, String> env = Map.of("CODEX32_GPIO_ENABLED", "true", "CODEX32_GPIO_PINS", pins.replace('\'', '"'));

    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), env)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key);
  }

  @Test
  void anUnknownProviderNamesItsKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_GPIO_PROVIDER", "wiringpi")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("gpio.provider: ");
  }
}
