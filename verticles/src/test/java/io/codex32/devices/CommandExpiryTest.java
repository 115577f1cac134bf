package io.codex32.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.store.FileDocumentStore;
import io.codex32.test.Await;
import io.codex32.test.MutableClock;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The written expiry of device commands, on the real file store, with a clock the test moves. */
@Timeout(30)
class CommandExpiryTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private FileDocumentStore store;
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private DeviceCommands commands;
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() {
    vertx = TestVertx.create();
    store = Await.result(FileDocumentStore.open(vertx, dataDir));
    DeviceControl control = new DeviceControl(vertx);
    DeviceService devices = new DeviceService(store, control, new LiveDeviceStates(), clock);
    commands = new DeviceCommands(store, devices, control, clock, 100);
    Await.result(devices.create(new JsonObject().put("id", "valve-1")));
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.DEVICE_EVENTS, m -> events.add(m.body())).completion());
  }

  @AfterEach
  void close() {
    Await.result(store.close());
    Await.result(vertx.close());
  }

  @Test
  void aDueCommandIsStoredExpiredAndAnnouncedWhileALaterOneWaits() throws Exception {
    DeviceCommand soon = Await.result(commands.send("valve-1", "open", "1", 1));
    DeviceCommand later = Await.result(commands.send("valve-1", "close", "0", 60));
    assertThat(Await.result(commands.expireDue(10))).isZero();
    assertThat(commands.expiryDue()).as("nothing due before the first expiry").isFalse();

    clock.advance(Duration.ofSeconds(2));
    assertThat(commands.expiryDue()).isTrue();
    assertThat(Await.result(commands.expireDue(10))).isEqualTo(1);
    assertThat(storedStatus(soon)).isEqualTo("expired");
    assertThat(storedStatus(later)).isEqualTo("queued");
    JsonObject event = events.poll(5, TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat(event.getString("type")).isEqualTo("command");
    assertThat(event.getString("command_id")).isEqualTo(soon.id());
    assertThat(event.getString("status")).isEqualTo("expired");
    assertThat(commands.expiryDue()).as("the next expiry is a minute away").isFalse();
  }

  @Test
  void aSweepWritesAtMostItsLimitAndTheNextOneTakesTheRest() {
    for (int i = 0; i < 3; i++) {
      Await.result(commands.send("valve-1", "pulse-" + i, i, 1));
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(Await.result(commands.expireDue(2))).isEqualTo(2);
    assertThat(commands.expiryDue()).isTrue();
    assertThat(Await.result(commands.expireDue(2))).isEqualTo(1);
    assertThat(Await.result(commands.forDevice("valve-1"))).extracting(c -> c.status().wireName()).containsOnly("expired");
  }

  @Test
  void aDeliveredCommandIsNeverMarkedExpired() {
    DeviceCommand command = Await.result(commands.send("valve-1", "open", "1", 1));
    Await.result(commands.markDelivered(command.id()));
    clock.advance(Duration.ofSeconds(2));
    assertThat(Await.result(commands.expireDue(10))).isZero();
    assertThat(storedStatus(command)).isEqualTo("delivered");
  }

  /** The status as written in the store, not as computed on a read. */
  private String storedStatus(DeviceCommand command) {
    return Await.result(store.get(DeviceCommands.COLLECTION, command.id())).body().getString("status");
  }
}
