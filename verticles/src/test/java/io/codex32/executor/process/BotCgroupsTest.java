package io.codex32.executor.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.Resources;
import io.codex32.test.Await;
import io.codex32.test.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bots in cgroups v2: a process that escaped its bot's session and parentage is still stopped with
 * it, and what a bot leaves behind when it exits is killed. Runs where this host gives us a writable
 * cgroup v2 hierarchy (kernel-enforced memory/cpu limits additionally need delegated controllers).
 */
@Timeout(120)
class BotCgroupsTest {

  @TempDir
  Path dataDir;
  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void limitsAreWrittenInTheKernelsUnits() {
    assertThat(BotCgroups.memoryMax(new Resources(64, null))).isEqualTo("67108864");
    assertThat(BotCgroups.memoryMax(new Resources(null, 50))).isEqualTo("max");
    assertThat(BotCgroups.cpuMax(new Resources(null, 50))).isEqualTo("50000 100000");
    assertThat(BotCgroups.cpuMax(new Resources(null, 250))).isEqualTo("250000 100000");
    assertThat(BotCgroups.cpuMax(null)).isEqualTo("max 100000");
  }

  @Test
  void theCgroup2MountAndOwnCgroupAreReadFromProc(@TempDir Path dir) throws IOException {
    Path mountinfo = Files.writeString(dir.resolve("mountinfo"), """
        24 30 0:22 / /sys/fs/cgroup/memory rw,relatime shared:8 - cgroup cgroup rw,memory
        35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
        """);
    Path cgroup = Files.writeString(dir.resolve("cgroup"), "4:memory:/x\n0::/system.slice/codex32-gateway.service\n");
    assertThat(BotCgroups.cgroup2Mount(mountinfo)).contains(Path.of("/sys/fs/cgroup"));
    assertThat(BotCgroups.ownCgroup(cgroup)).contains("/system.slice/codex32-gateway.service");
    Path v1Only = Files.writeString(dir.resolve("cgroup-v1"), "4:memory:/x\n");
    assertThat(BotCgroups.ownCgroup(v1Only)).isEmpty();
  }

  @Test
  void aProcessThatEscapedTheBotsSessionIsStoppedWithTheBot() throws Exception {
    startGateway();
    String admin = gateway.adminToken();
    create(admin, "escaper", List.of("sh", TestGateway.botScript("escaper.sh")));
    assertThat(gateway.post("/api/v1/bots/escaper/start", admin).status()).isEqualTo(202);
    JsonObject running = gateway.awaitBot("escaper", admin, bot -> "running".equals(bot.getString("status")), "running");
    assertThat(running.getString("quota_enforcement")).isEqualTo(expectedEnforcement());
    long escaped = awaitPidFile(dataDir.resolve("bots/escaper/escaped.pid"));
    assertThat(alive(escaped)).isTrue();
    assertThat(ProcessHandle.of(escaped).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).isNotEqualTo(Optional.of(running
        .getLong("pid")));

    assertThat(gateway.post("/api/v1/bots/escaper/stop", admin).status()).isEqualTo(202);
    gateway.awaitBot("escaper", admin, bot -> "stopped".equals(bot.getString("status")), "stopped");
    assertThat(alive(escaped)).as("escaped pid %d", escaped).isFalse();
  }

  @Test
  void whatABotLeavesBehindWhenItExitsIsKilled() throws Exception {
    startGateway();
    String admin = gateway.adminToken();
    create(admin, "leaver", List.of("sh", TestGateway.botScript("escaper.sh"), "exit"));
    assertThat(gateway.post("/api/v1/bots/leaver/start", admin).status()).isEqualTo(202);
    long escaped = awaitPidFile(dataDir.resolve("bots/leaver/escaped.pid"));
    gateway.awaitBot("leaver", admin, bot -> "stopped".equals(bot.getString("status")), "stopped after its exit");
    awaitDead(escaped);
  }

  private void startGateway() {
    Assumptions.assumeTrue(BotCgroups.detect(dataDir).enabled(), "no writable cgroup v2 hierarchy on this host");
    gateway = TestGateway.withExecutor(dataDir);
  }

  private void create(String admin, String id, List<String> command) {
    TestGateway.Response created = gateway.send("POST", "/api/v1/bots", new JsonObject().put("id", id).put("command", command)
        .put("restart", new JsonObject().put("policy", "never")).put("stop_timeout_ms", 2000), admin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  /** "cgroup" where the memory or cpu controller is available to our cgroup, "sampling" otherwise. */
  private static String expectedEnforcement() throws IOException {
    Path mount = BotCgroups.cgroup2Mount(Path.of("/proc/self/mountinfo")).orElseThrow();
    Path own = mount.resolve(BotCgroups.ownCgroup(Path.of("/proc/self/cgroup")).orElseThrow().substring(1));
    String controllers = Files.readString(own.resolve("cgroup.controllers"));
    return controllers.matches("(?s).*\\b(memory|cpu)\\b.*") ? BotCgroups.CGROUP : BotCgroups.SAMPLING;
  }

  /** Zombies (killed, not yet reaped by init) count as dead. */
  private static boolean alive(long pid) {
    return ProcStat.read(pid).map(stat -> !stat.ended()).orElse(false);
  }

  private static long awaitPidFile(Path file) {
    return Long.parseLong(Await.until(() -> ProcFixture.read(file).trim(), text -> !text.isEmpty(), file + " written"));
  }

  private static void awaitDead(long pid) {
    Await.until(() -> !alive(pid), "pid " + pid + " dead");
  }
}
