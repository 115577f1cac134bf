package io.codex32.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.Bot;
import io.codex32.bot.BotSpec;
import io.codex32.bot.BotStatus;
import io.codex32.bot.DesiredState;
import io.codex32.bus.NodeHeartbeat;
import io.codex32.nodes.NodeView;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which node a bot placed by labels gets, and when a start has to choose one. */
@Timeout(10)
class BotSchedulerTest {

  private static final Instant NOW = Instant.parse("2026-01-31T10:00:00Z");
  private static final Map<String, String> GPIO = Map.of("gpio", "true");

  private final List<NodeView> nodes = new ArrayList<>();
  private final BotScheduler scheduler = new BotScheduler(() -> nodes);

  @Test
  void onlyOnlineNodesCarryingEverySelectorLabelAreChosen() {
    node("pi-a", Map.of("gpio", "true"), false);
    node("pi-b", Map.of("gpio", "false", "room", "attic"), true);
    node("pi-c", Map.of("room", "attic"), true);
    Bot bot = labelled("sensor", Map.of("gpio", "true", "room", "attic"), null, BotStatus.REGISTERED, DesiredState.STOPPED);
    assertThat(scheduler.choose(bot, List.of())).isEmpty();

    node("pi-d", Map.of("gpio", "true", "room", "attic", "arch", "arm64"), true);
    assertThat(scheduler.choose(bot, List.of())).contains("pi-d");
  }

  @Test
  void theNodeWithFewestBotsMeantToRunWinsTiesGoToTheLowestId() {
    node("pi-b", GPIO, true);
    node("pi-a", GPIO, true);
    Bot bot = labelled("new", GPIO, null, BotStatus.REGISTERED, DesiredState.STOPPED);
    assertThat(scheduler.choose(bot, List.of())).contains("pi-a");

    List<Bot> all = List.of(
        labelled("one", GPIO, "pi-a", BotStatus.RUNNING, DesiredState.RUNNING),
        labelled("idle-1", GPIO, "pi-b", BotStatus.STOPPED, DesiredState.STOPPED),
        labelled("idle-2", GPIO, "pi-b", BotStatus.STOPPED, DesiredState.STOPPED));
    assertThat(scheduler.choose(bot, all)).as("stopped bots do not count").contains("pi-b");
  }

  @Test
  void theBotItselfIsNotCountedOnTheNodeItLeaves() {
    node("pi-a", GPIO, true);
    node("pi-b", GPIO, true);
    Bot bot = labelled("mover", GPIO, "pi-b", BotStatus.STOPPED, DesiredState.RUNNING);
    List<Bot> all = List.of(bot, labelled("other", GPIO, "pi-a", BotStatus.RUNNING, DesiredState.RUNNING));
    assertThat(scheduler.choose(bot, all)).contains("pi-b");
  }

  @Test
  void aStartChoosesOnlyForAnUnassignedBotOrOneWhoseNodeNoLongerFitsAndHoldsNoProcess() {
    node("pi-a", GPIO, true);
    node("pi-gone", GPIO, false);
    node("pi-plain", Map.of(), true);

    assertThat(scheduler.needsNode(labelled("new", GPIO, null, BotStatus.REGISTERED, DesiredState.STOPPED))).isTrue();
    assertThat(scheduler.needsNode(labelled("fits", GPIO, "pi-a", BotStatus.STOPPED, DesiredState.STOPPED))).isFalse();
    assertThat(scheduler.needsNode(labelled("offline", GPIO, "pi-gone", BotStatus.STOPPED, DesiredState.STOPPED))).isTrue();
    assertThat(scheduler.needsNode(labelled("relabelled", GPIO, "pi-plain", BotStatus.FAILED, DesiredState.RUNNING))).isTrue();
    assertThat(scheduler.needsNode(labelled("forgotten", GPIO, "pi-never-seen", BotStatus.STOPPED, DesiredState.STOPPED))).isTrue();
    for (BotStatus mayRun : List.of(BotStatus.STARTING, BotStatus.RUNNING, BotStatus.STOPPING, BotStatus.RESTARTING,
        BotStatus.UNKNOWN)) {
      assertThat(scheduler.needsNode(labelled("busy", GPIO, "pi-gone", mayRun, DesiredState.RUNNING))).as(mayRun.wireName()).isFalse();
    }
    Bot named = new Bot(BotSpec.fromJson(new JsonObject().put("id", "named").put("command", List.of("sleep", "1"))
        .put("placement", new JsonObject().put("node", "pi-gone"))), DesiredState.STOPPED, BotStatus.STOPPED, 1, null, null, NOW, NOW, 1);
    assertThat(scheduler.needsNode(named)).as("a bot placed by node id stays on it").isFalse();
  }

  private void node(String id, Map<String, String> labels, boolean online) {
    NodeHeartbeat heartbeat = new NodeHeartbeat(id, id + ".lan", labels, 4, 4000, 1.0, 500, 0.1, "0.1.0", 0, NOW, null);
    nodes.add(new NodeView(heartbeat, NOW, online));
  }

  private static Bot labelled(String id, Map<String, String> labels, String assigned, BotStatus status, DesiredState desired) {
    BotSpec spec = BotSpec.fromJson(new JsonObject().put("id", id).put("command", List.of("sleep", "1"))
        .put("placement", new JsonObject().put("labels", new JsonObject(Map.copyOf(labels)))));
    return new Bot(spec, desired, status, 1, null, assigned, NOW, NOW, 1);
  }
}
