package io.codex32.executor.process;

import static io.codex32.executor.process.ProcFixture.read;
import static io.codex32.executor.process.ProcFixture.script;
import static io.codex32.executor.process.ProcFixture.settings;
import static io.codex32.executor.process.ProcFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.bot.BotSpec;
import io.codex32.test.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessGroupsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path data;

  /** Stops what a failed test left, then fails if anything a bot started is still there. */
  @RegisterExtension
  final LauncherFixture fixture = LauncherFixture.failingOnEscapes(() -> data);

  private RunningProcess launch(BotSpec spec) {
    return fixture.launch(spec, "t");
  }

  /** The bot's group and every descendant, as they are now. */
  private static Set<Long> tree(long pid) {
    Set<Long> pids = new TreeSet<>(ProcessGroups.members(pid));
    ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  private void awaitStarted(String botId, RunningProcess process, int processes) {
    Await.until(() -> read(settings(data).paths().stdout(botId)).contains("started") && tree(process.pid()).size() >= processes,
        botId + " to start its children");
  }

  @Test
  void stopEndsTheWholeTreeIncludingGrandchildrenThatLeftTheGroup() throws Exception {
    String id = ProcFixture.uniqueId("tree");
    RunningProcess bot = launch(spec(id, "sh", script("proc-tree.sh")));
    awaitStarted(id, bot, 4);
    // the setsid child is in the tree as soon as it is forked, but leaves the group only once setsid has run
    Await.until(() -> tree(bot.pid()).stream().filter(pid -> ProcFixture.pgrp(pid) != bot.pid()).count() == 1,
        "the setsid grandchild to leave the group");
    Set<Long> before = tree(bot.pid());
    assertThat(before.stream().filter(pid -> ProcFixture.pgrp(pid) != bot.pid())).as("the setsid grandchild").hasSize(1);

    boolean killed = ProcessGroups.stop(bot.pid(), Duration.ofSeconds(5));

    assertThat(killed).as("SIGTERM was enough").isFalse();
    assertThat(before).noneMatch(ProcFixture::running);
    assertThat(ProcessGroups.members(bot.pid())).isEmpty();
    assertThat(ProcFixture.runningProcessesOf(id)).isEmpty();
    assertThat(bot.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS).signal()).isEqualTo(15);
  }

  @RepeatedTest(5)
  void stopRightAfterLaunchLeavesNothingBehind() throws Exception {
    // The tree is still forking (one child calls setsid) while it is stopped.
    String id = ProcFixture.uniqueId("early");
    RunningProcess bot = launch(spec(id, "sh", script("proc-tree.sh")));

    ProcessGroups.stop(bot.pid(), Duration.ofSeconds(5));

    bot.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(ProcFixture.runningProcessesOf(id)).isEmpty();
  }

  @Test
  void stopKillsATreeThatIgnoresSigtermAfterTheGrace() throws Exception {
    String id = ProcFixture.uniqueId("stubborn");
    RunningProcess bot = launch(spec(id, "sh", script("proc-stubborn.sh")));
    awaitStarted(id, bot, 3);
    Set<Long> before = tree(bot.pid());
    Duration grace = Duration.ofMillis(500);

    long start = System.nanoTime();
    boolean killed = ProcessGroups.stop(bot.pid(), grace);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(killed).as("SIGKILL was needed").isTrue();
    assertThat(took).isBetween(grace, grace.plusSeconds(3));
    assertThat(before).noneMatch(ProcFixture::running);
    assertThat(tree(bot.pid())).isEmpty();
    assertThat(ProcFixture.runningProcessesOf(id)).isEmpty();
    assertThat(bot.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137, 9));
  }

  @Test
  void membersAreTheLiveProcessesOfTheGroupWithoutZombies() throws Exception {
    // The short sleep becomes a zombie: its parent execs into the long sleep, which never reaps it.
    RunningProcess bot = launch(spec(ProcFixture.uniqueId("zombie"), "sh", "-c", "sleep 0.1 & exec sleep 1000"));
    Await.until(() -> ProcStat.all().stream().anyMatch(s -> s.ppid() == bot.pid() && s.ended()), "a zombie child");

    assertThat(ProcessGroups.members(bot.pid())).containsExactly(bot.pid());
    assertThat(ProcessGroups.stop(bot.pid(), Duration.ofSeconds(5))).isFalse();
    assertThat(ProcessGroups.members(bot.pid())).isEmpty();
  }

  @Test
  void stopOfAnEndedProcessReturnsAtOnce() throws Exception {
    RunningProcess bot = launch(spec(ProcFixture.uniqueId("quick"), "sh", "-c", "exit 0"));
    bot.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(ProcessGroups.stop(bot.pid(), Duration.ofSeconds(30))).isFalse();
  }

  @Test
  void stopRefusesTheExecutorsOwnGroupAndInit() {
    long self = ProcessHandle.current().pid();

    assertThatThrownBy(() -> ProcessGroups.stop(self, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessGroups.stop(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessGroups.stop(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
