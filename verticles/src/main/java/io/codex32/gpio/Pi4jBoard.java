package io.codex32.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.pwm.LinuxFsPwmProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import com.pi4j.provider.Provider;
import io.codex32.bus.PinMode;
import io.codex32.bus.PinValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declared pins on Pi4J 2: one {@link DigitalInput}, {@link DigitalOutput} or {@link Pwm} per pin,
 * created from the providers {@code gpio.provider} selects and nothing else (no classpath
 * auto-detection, no Pi4J shutdown hook: the node applies its safe states itself). Every call
 * blocks on the provider (ioctl or sysfs write on hardware).
 */
public final class Pi4jBoard implements GpioBoard {

  /** Kernel PWM chip used for pwm pins on hardware (the Pi's PWM0, with the pwm overlay). */
  private static final int PWM_CHIP = 0;
  private static final Logger LOG = LoggerFactory.getLogger(Pi4jBoard.class);

  private final Context pi4j;
  private final boolean simulated;
  private final Map<String, PinSpec> specs = new HashMap<>();

  /** Creates the declared pins on {@code pi4j}; outputs are created in their {@code initial} state. */
  public Pi4jBoard(Context pi4j, List<PinSpec> pins, boolean simulated) {
    this.pi4j = pi4j;
    this.simulated = simulated;
    for (PinSpec pin : pins) {
      specs.put(pin.name(), pin);
      create(pin);
    }
  }

  /** Opens {@code pins} on the providers of {@code configured}; {@code auto} is decided here, with one WARN line when it means the mock. */
  public static Pi4jBoard open(GpioProvider configured, List<PinSpec> pins) {
    GpioProvider provider = configured;
    if (configured == GpioProvider.AUTO) {
      provider = raspberryPiWithGpio() ? GpioProvider.GPIOD : GpioProvider.MOCK;
      if (provider == GpioProvider.MOCK) {
        LOG.warn("gpio.provider=auto: not a Raspberry Pi with a readable /dev/gpiochip*, using Pi4J's mock platform (simulated pins)");
      }
    }
    return new Pi4jBoard(context(provider), pins, provider == GpioProvider.MOCK);
  }

  /** A Raspberry Pi (its device tree says so) on which this user may open a GPIO chip. */
  static boolean raspberryPiWithGpio() {
    try {
      Path model = Path.of("/proc/device-tree/model");
      if (!Files.isReadable(model) || !Files.readString(model).contains("Raspberry Pi")) {
        return false;
      }
      try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
        return dev.anyMatch(file -> file.getFileName().toString().startsWith("gpiochip") && Files.isReadable(file));
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** A Pi4J context holding exactly the digital and PWM providers of {@code provider}. */
  public static Context context(GpioProvider provider) {
    return Pi4J.newContextBuilder().noAutoDetect().add(providers(provider)).build();
  }

  private static Provider[] providers(GpioProvider provider) {
    return switch (provider) {
      case MOCK -> new Provider[] {MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
          MockPwmProvider.newInstance()};
      case GPIOD -> new Provider[] {GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance(),
          LinuxFsPwmProvider.newInstance(PWM_CHIP)};
      case LINUXFS -> new Provider[] {LinuxFsDigitalInputProvider.newInstance(), LinuxFsDigitalOutputProvider.newInstance(),
          LinuxFsPwmProvider.newInstance(PWM_CHIP)};
      case AUTO -> throw new IllegalArgumentException("resolve gpio.provider=auto first");
    };
  }

  /** The Pi4J id of a declared pin's I/O. */
  public static String ioId(PinSpec pin) {
    return "codex32-" + pin.name();
  }

  private void create(PinSpec pin) {
    if (pin.mode() == PinMode.INPUT) {
      pi4j.create(DigitalInput.newConfigBuilder(pi4j).id(ioId(pin)).name(pin.name()).address(pin.bcm()).pull(pull(pin.pull()))
          .debounce((long) pin.debounceMs() * 1000));
    } else if (pin.mode() == PinMode.OUTPUT) {
      pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id(ioId(pin)).name(pin.name()).address(pin.bcm())
          .initial(physical(pin, pin.initial())));
    } else {
      pi4j.create(Pwm.newConfigBuilder(pi4j).id(ioId(pin)).name(pin.name()).address(pwmChannel(pin.bcm())).pwmType(PwmType.HARDWARE)
          .frequency(pin.frequencyHz()).dutyCycle(0).initial(0));
    }
  }

  /** The PWM channel a BCM pin carries: PWM0 on BCM 12 and 18, PWM1 on BCM 13 and 19. */
  static int pwmChannel(int bcm) {
    return bcm == 13 || bcm == 19 ? 1 : 0;
  }

  private static PullResistance pull(Pull pull) {
    return switch (pull) {
      case UP -> PullResistance.PULL_UP;
      case DOWN -> PullResistance.PULL_DOWN;
      case NONE -> PullResistance.OFF;
    };
  }

  private static DigitalState physical(PinSpec pin, PinValue value) {
    PinValue line = pin.activeLow() ? value.inverse() : value;
    return line == PinValue.HIGH ? DigitalState.HIGH : DigitalState.LOW;
  }

  private static PinValue logical(PinSpec pin, DigitalState state) {
    PinValue line = state.isHigh() ? PinValue.HIGH : PinValue.LOW;
    return pin.activeLow() ? line.inverse() : line;
  }

  private <T extends IO<?, ?, ?>> T io(String name, Class<T> type) {
    return pi4j.registry().get(ioId(specs.get(name)), type);
  }

  @Override
  public boolean simulated() {
    return simulated;
  }

  @Override
  public PinValue read(String pin) {
    PinSpec spec = specs.get(pin);
    DigitalState state = spec.mode() == PinMode.INPUT ? io(pin, DigitalInput.class).state() : io(pin, DigitalOutput.class).state();
    return logical(spec, state);
  }

  @Override
  public void write(String pin, PinValue value) {
    io(pin, DigitalOutput.class).state(physical(specs.get(pin), value));
  }

  @Override
  public void pwm(String pin, double duty, int frequencyHz) {
    Pwm pwm = io(pin, Pwm.class);
    if (duty <= 0) {
      pwm.off();
    } else {
      pwm.on(duty, frequencyHz);
    }
  }

  @Override
  public void onChange(String pin, Consumer<PinValue> listener) {
    PinSpec spec = specs.get(pin);
    DigitalStateChangeListener relay = event -> listener.accept(logical(spec, event.state()));
    io(pin, DigitalInput.class).addListener(relay);
  }

  @Override
  public void close() {
    pi4j.shutdown();
  }
}
