package io.codex32.executor.process;

import static io.codex32.executor.process.ProcFixture.read;
import static io.codex32.executor.process.ProcFixture.running;
import static io.codex32.executor.process.ProcFixture.script;
import static io.codex32.executor.process.ProcFixture.settings;
import static io.codex32.executor.process.ProcFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.bot.BotSpec;
import io.codex32.error.Codex32Exception;
import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.test.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessLauncherTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path data;
  @TempDir
  Path elsewhere;

  @RegisterExtension
  final LauncherFixture fixture = LauncherFixture.on(() -> data);

  private RunningProcess launch(ProcessLauncher with, BotSpec spec) {
    return fixture.launch(with, spec, "token-" + spec.id());
  }

  private RunningProcess launch(BotSpec spec) {
    return launch(fixture.launcher(), spec);
  }

  private static ExitStatus exit(RunningProcess process) throws Exception {
    return process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void assertRefused(ThrowingCallable call, int status, String code, String... mentions) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Codex32Exception.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(mentions);
    });
  }

  private Path executableScript(String name, String body) throws IOException {
    Path file = elsewhere.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void commandMissingFromAllowListIsRefusedNamingTheKey() {
    ProcessLauncher onlyPython = new ProcessLauncher(settings(data, List.of("python3")));

    assertRefused(() -> onlyPython.launch(spec("refused", "sh", "-c", "true"), "t"), 422, "command_not_allowed",
        "'sh'", "executor.allowed_commands");
    assertThat(data.resolve("bots/refused/process.json")).doesNotExist();
  }

  @Test
  void emptyAllowListRefusesEverything() {
    ProcessLauncher nothingAllowed = new ProcessLauncher(settings(data, List.of()));

    for (String command : List.of("sh", "python3", "/bin/sh", "/usr/bin/env")) {
      assertRefused(() -> nothingAllowed.launch(spec("bot", command), "t"), 422, "command_not_allowed", command, "is empty");
    }
  }

  @Test
  void bareNamesResolveOnlyThroughTheFixedSearchPath() throws IOException {
    // sh is on this JVM's PATH, but not on the executor's search path.
    assertThat(System.getenv("PATH")).contains("/bin");
    ExecutorSettings emptySearchPath = new ExecutorSettings("local", data, List.of("sh"), List.of(elsewhere), null, null, 1000, true);
    assertRefused(() -> new ProcessLauncher(emptySearchPath).launch(spec("bot", "sh", "-c", "true"), "t"), 422,
        "command_not_found", "'sh'", elsewhere.toString());

    // An allowed name that exists only outside the search path is not found either.
    executableScript("codex32-elsewhere", "true");
    ProcessLauncher allowing = new ProcessLauncher(settings(data, List.of("codex32-elsewhere")));
    assertRefused(() -> allowing.launch(spec("bot", "codex32-elsewhere"), "t"), 422, "command_not_found", "codex32-elsewhere");
  }

  @Test
  void absolutePathRunsWhenListedButNotThroughABareNameEntry() throws Exception {
    Path hello = executableScript("hello", "echo hello-from-absolute");

    ProcessLauncher byName = new ProcessLauncher(settings(data, List.of("hello")));
    assertRefused(() -> byName.launch(spec("abs", hello.toString()), "t"), 422, "command_not_allowed", hello.toString());

    ProcessLauncher byPath = new ProcessLauncher(settings(data, List.of(hello.toString())));
    RunningProcess process = launch(byPath, spec("abs", hello.toString()));
    assertThat(exit(process).success()).isTrue();
    assertThat(read(settings(data).paths().stdout("abs"))).contains("hello-from-absolute");
  }

  @Test
  void absolutePathInTheSearchPathIsAllowedByItsBareName() throws Exception {
    RunningProcess process = launch(spec("abs-sh", "/bin/sh", "-c", "exit 0"));

    assertThat(exit(process).success()).isTrue();
  }

  @Test
  void relativeOrMissingPathsAreRefused() {
    assertRefused(() -> fixture.launcher().launch(spec("bot", "./run.sh"), "t"), 422, "command_not_allowed", "./run.sh");
    assertRefused(() -> fixture.launcher().launch(spec("bot", "/no/such/sh"), "t"), 422, "command_not_found", "/no/such/sh");
  }

  @Test
  void workdirCannotLeaveTheBotDir() throws IOException {
    Path botDir = Files.createDirectories(settings(data).paths().botDir("walker"));
    Files.createSymbolicLink(botDir.resolve("tmp-link"), Path.of("/tmp"));
    Files.createSymbolicLink(botDir.resolve("out-link"), elsewhere);

    for (String workdir : List.of("../x", "a/../../x", "/etc", "tmp-link", "out-link/new", elsewhere.toString())) {
      assertRefused(() -> fixture.launcher().launch(spec("walker", workdir, Map.of(), "sh", "-c", "true"), "t"), 422,
          "workdir_outside_bot_dir", workdir);
    }
    assertThat(elsewhere.resolve("new")).doesNotExist();
    assertThat(data.resolve("bots/x")).doesNotExist();
  }

  @Test
  void nestedWorkdirIsCreatedAndUsed() throws Exception {
    RunningProcess process = launch(spec("nested", "a/b/c", Map.of(), "sh", "-c", "pwd"));

    assertThat(exit(process).success()).isTrue();
    Path expected = settings(data).paths().botDir("nested").toRealPath().resolve("a/b/c");
    assertThat(expected).isDirectory();
    assertThat(read(settings(data).paths().stdout("nested")).trim()).isEqualTo(expected.toString());
  }

  @Test
  void botSeesOnlyItsOwnEnvironmentAndNothingOfTheGateways() throws Exception {
    Map<String, String> specEnv = Map.of("UNITS", "metric", "CODEX32_BOT_TOKEN", "forged", "CODEX32_BOT_ID", "someone-else");
    RunningProcess process = launch(spec("envy", ".", specEnv, "python3", script("proc-env.py")));
    assertThat(exit(process).success()).isTrue();

    Map<String, String> seen = new TreeMap<>();
    for (String line : read(settings(data).paths().stdout("envy")).split("\n")) {
      int eq = line.indexOf('=');
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    Set<String> expected = new HashSet<>(Set.of("PATH", "HOME", "LANG", "PYTHONUNBUFFERED", "UNITS", "CODEX32_BOT_ID",
        "CODEX32_BOT_TOKEN", "CODEX32_API_URL", "CODEX32_MQTT_URL"));
    if (System.getenv("TZ") != null) {
      expected.add("TZ");
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    Set<String> gatewayOnly = new HashSet<>(System.getenv().keySet());
    gatewayOnly.removeAll(expected);
    assertThat(gatewayOnly).as("this JVM has variables of its own").isNotEmpty();
    assertThat(seen.keySet()).doesNotContainAnyElementsOf(gatewayOnly);

    assertThat(seen).containsEntry("HOME", settings(data).paths().botDir("envy").toRealPath().toString())
        .containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin")
        .containsEntry("LANG", "C.UTF-8")
        .containsEntry("PYTHONUNBUFFERED", "1")
        .containsEntry("UNITS", "metric")
        .containsEntry("CODEX32_BOT_ID", "envy")
        .containsEntry("CODEX32_BOT_TOKEN", "token-envy")
        .containsEntry("CODEX32_API_URL", ProcFixture.API_URL)
        .containsEntry("CODEX32_MQTT_URL", ProcFixture.MQTT_URL);
  }

  @Test
  void pythonOutputReachesTheLogWhileTheBotRuns() {
    RunningProcess process = launch(spec("talker", "python3", script("proc-unbuffered.py")));

    Await.until(() -> read(settings(data).paths().stdout("talker")).contains("hello from python"), "python's line in stdout.log");
    assertThat(running(process.pid())).isTrue();
  }

  @Test
  void botLeadsItsOwnSessionAndProcessGroupAndIsRecorded() throws IOException {
    RunningProcess process = launch(spec("leader", "sleep", "1000"));

    assertThat(process.adopted()).isFalse();
    assertThat(ProcFixture.pgrp(process.pid())).isEqualTo(process.pid());
    assertThat(ProcFixture.session(process.pid())).isEqualTo(process.pid());
    JsonObject record = new JsonObject(Files.readString(settings(data).paths().processRecord("leader")));
    assertThat(record.getLong("pid")).isEqualTo(process.pid());
    assertThat(record.getString("start_time")).isEqualTo(process.startedAt().toString());
    assertThat(record.getJsonArray("command").getList()).contains("/usr/bin/sleep", "1000");
    assertThat(data.resolve("bots/leader/process.json.tmp")).doesNotExist();
  }

  @Test
  void exitCodeIsReported() throws Exception {
    RunningProcess process = launch(spec("three", "sh", "-c", "exit 3"));

    assertThat(exit(process)).isEqualTo(new ExitStatus(3, null));
  }

  @Test
  void deathBySignalIsReported() throws Exception {
    RunningProcess process = launch(spec("killed", "sleep", "1000"));

    ProcessHandle.of(process.pid()).orElseThrow().destroyForcibly();

    assertThat(exit(process)).isEqualTo(new ExitStatus(137, 9));
  }

  @Test
  void stderrIsAppendedToItsOwnLog() throws Exception {
    exit(launch(spec("noisy", "sh", "-c", "echo first >&2")));
    exit(launch(spec("noisy", "sh", "-c", "echo second >&2")));

    assertThat(read(settings(data).paths().stderr("noisy"))).isEqualTo("first\nsecond\n");
    assertThat(read(settings(data).paths().stdout("noisy"))).isEmpty();
  }

  @Test
  void secondCopyIsRefusedWhileTheRecordedProcessRuns() throws Exception {
    RunningProcess first = launch(spec("once", "sleep", "1000"));

    assertRefused(() -> fixture.launcher().launch(spec("once", "sleep", "1000"), "t"), 409, "bot_already_running",
        Long.toString(first.pid()));

    ProcessGroups.stop(first.pid(), Duration.ofSeconds(5));
    exit(first);
    assertThat(launch(spec("once", "sleep", "1000")).pid()).isNotEqualTo(first.pid());
  }

  @Test
  void newExecutorAdoptsTheRunningBotAndSeesItEnd() throws Exception {
    String id = ProcFixture.uniqueId("survivor");
    RunningProcess original = launch(spec(id, "sh", script("proc-tree.sh")));

    RunningProcess adopted = new ProcessLauncher(settings(data)).adopt(id);

    assertThat(adopted).isNotNull();
    assertThat(adopted.adopted()).isTrue();
    assertThat(adopted.pid()).isEqualTo(original.pid());
    assertThat(adopted.startedAt()).isEqualTo(original.startedAt());
    assertThat(adopted.onExit()).isNotDone();

    ProcessGroups.stop(adopted.pid(), Duration.ofSeconds(5));

    assertThat(exit(adopted)).isEqualTo(new ExitStatus(null, null));
    assertThat(ProcFixture.runningProcessesOf(id)).isEmpty();
  }

  @Test
  void recordOfAReusedPidIsNotAdoptedAndIsDeleted() throws IOException {
    ProcessHandle self = ProcessHandle.current();
    Path record = settings(data).paths().processRecord("impostor");
    Files.createDirectories(record.getParent());
    String wrongStart = self.info().startInstant().orElseThrow().minusSeconds(3600).toString();
    Files.writeString(record, new JsonObject().put("pid", self.pid()).put("start_time", wrongStart)
        .put("command", List.of("/usr/bin/sleep", "1000")).encode());

    assertThat(fixture.launcher().adopt("impostor")).isNull();
    assertThat(record).doesNotExist();
  }

  @Test
  void recordWithOtherStartTicksIsNotAdopted() throws IOException {
    ProcessHandle self = ProcessHandle.current();
    ProcStat stat = ProcStat.read(self.pid()).orElseThrow();
    Path record = settings(data).paths().processRecord("impostor");
    Files.createDirectories(record.getParent());
    new ProcessRecord(self.pid(), self.info().startInstant().orElseThrow(), stat.startTicks() + 1, ProcStat.bootId(), List.of("x"))
        .write(record);

    assertThat(fixture.launcher().adopt("impostor")).isNull();
    assertThat(record).doesNotExist();
  }

  @Test
  void recordOfAnEndedProcessIsNotAdopted() throws Exception {
    RunningProcess ended = launch(spec("gone", "sh", "-c", "exit 0"));
    exit(ended);
    Path record = settings(data).paths().processRecord("gone");
    assertThat(record).exists();

    assertThat(new ProcessLauncher(settings(data)).adopt("gone")).isNull();
    assertThat(record).doesNotExist();
  }

  @Test
  void unreadableRecordOrNoneMeansNothingToAdopt() throws IOException {
    assertThat(fixture.launcher().adopt("never-ran")).isNull();

    Path record = settings(data).paths().processRecord("garbled");
    Files.createDirectories(record.getParent());
    Files.writeString(record, "{\"pid\": ");
    assertThat(fixture.launcher().adopt("garbled")).isNull();
    assertThat(record).doesNotExist();
  }

  @Test
  void forgetDeletesTheRecord() throws Exception {
    exit(launch(spec("forgotten", "sh", "-c", "exit 0")));
    Path record = settings(data).paths().processRecord("forgotten");
    assertThat(record).exists();

    fixture.launcher().forget("forgotten");

    assertThat(record).doesNotExist();
  }
}
