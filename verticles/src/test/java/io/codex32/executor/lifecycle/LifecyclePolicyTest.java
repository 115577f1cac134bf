package io.codex32.executor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bot.BotStatus;
import io.codex32.bot.RestartPolicy;
import io.codex32.executor.lifecycle.LifecycleEvent.BackoffElapsed;
import io.codex32.executor.lifecycle.LifecycleEvent.Exited;
import io.codex32.executor.lifecycle.LifecycleEvent.HaltFailed;
import io.codex32.executor.lifecycle.LifecycleEvent.Halted;
import io.codex32.executor.lifecycle.LifecycleEvent.HeartbeatMissed;
import io.codex32.executor.lifecycle.LifecycleEvent.LaunchFailed;
import io.codex32.executor.lifecycle.LifecycleEvent.Launched;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorRemove;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorRestart;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorStart;
import io.codex32.executor.lifecycle.LifecycleEvent.OperatorStop;
import io.codex32.executor.lifecycle.LifecycleEvent.QuotaBreached;
import io.codex32.executor.lifecycle.LifecycleEvent.RanTooLong;
import io.codex32.executor.process.ExitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link LifecyclePolicy} decides, as tables: every executor state against every event, then
 * the restart policy, budget and backoff after exits and stops. No process is started; the jitter
 * is fixed at its middle, so each backoff is exactly its base delay.
 */
@Timeout(10)
class LifecyclePolicyTest {

  private static final Instant NOW = Instant.parse("2026-01-31T10:00:00Z");
  private static final long GENERATION = 7;
  private static final LifecyclePolicy POLICY = new LifecyclePolicy(() -> 0.5);
  private static final Map<String, LifecycleEvent> EVENTS = Map.ofEntries(
      Map.entry("start", new OperatorStart()),
      Map.entry("restart", new OperatorRestart()),
      Map.entry("stop", new OperatorStop()),
      Map.entry("remove", new OperatorRemove()),
      Map.entry("launched", new Launched()),
      Map.entry("launch failed", new LaunchFailed("command_not_allowed: 'curl' is not allowed")),
      Map.entry("exited 1", new Exited(GENERATION, new ExitStatus(1, null))),
      Map.entry("halted", new Halted(false, 1000)),
      Map.entry("halt failed", new HaltFailed("no such process")),
      Map.entry("quota breached", new QuotaBreached("memory 80 MB (max 64), cpu 3 % (max null)")),
      Map.entry("ran too long", new RanTooLong(GENERATION, 30)),
      Map.entry("heartbeat missed", new HeartbeatMissed(5)),
      Map.entry("backoff elapsed", new BackoffElapsed()));

  /** A bot that ran for a second under on-failure, 2 restarts in 60 s, backoff 100 ms doubling up to 5 s. */
  private static Situation situation(BotStatus status, boolean wantRunning) {
    return new Situation(status, wantRunning, GENERATION, "stopped by operator", null, NOW.minusSeconds(1),
        policy(RestartPolicy.Policy.ON_FAILURE), RestartBudget.of(policy(RestartPolicy.Policy.ON_FAILURE)), 0, NOW);
  }

  private static RestartPolicy policy(RestartPolicy.Policy policy) {
    return new RestartPolicy(policy, 2, 60, 100, 5000, 2.0);
  }

  /** The desired state an event comes with: an operator's stop or remove wants the bot stopped. */
  private static boolean wantRunning(String event) {
    return !event.equals("stop") && !event.equals("remove");
  }

  private static String text(Decision decision) {
    if (decision instanceof Decision.Launch launch) {
      return launch.freshBudget() ? "launch with a fresh budget" : "launch" + (launch.why() == null ? "" : ": " + launch.why());
    } else if (decision instanceof Decision.Halt halt) {
      return "halt: " + halt.why() + (halt.cause() == null ? "" : " [" + halt.cause() + "]");
    } else if (decision instanceof Decision.Settle settle) {
      return settle.status().wireName() + ": " + settle.why();
    } else if (decision instanceof Decision.RestartLater later) {
      return "restarting: " + later.why() + " [attempt " + later.attempt() + ", " + later.budget().used() + " used]";
    }
    return "nothing";
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      STOPPED    | start            | launch with a fresh budget
      STOPPED    | restart          | launch with a fresh budget
      STOPPED    | stop             | nothing
      STOPPED    | remove           | nothing
      STOPPED    | launched         | nothing
      STOPPED    | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      STOPPED    | exited 1         | nothing
      STOPPED    | halted           | nothing
      STOPPED    | halt failed      | failed: could not stop: no such process
      STOPPED    | quota breached   | nothing
      STOPPED    | ran too long     | nothing
      STOPPED    | heartbeat missed | nothing
      STOPPED    | backoff elapsed  | nothing
      STARTING   | start            | nothing
      STARTING   | restart          | nothing
      STARTING   | stop             | nothing
      STARTING   | remove           | nothing
      STARTING   | launched         | nothing
      STARTING   | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      STARTING   | exited 1         | nothing
      STARTING   | halted           | nothing
      STARTING   | halt failed      | failed: could not stop: no such process
      STARTING   | quota breached   | nothing
      STARTING   | ran too long     | nothing
      STARTING   | heartbeat missed | nothing
      STARTING   | backoff elapsed  | nothing
      RUNNING    | start            | nothing
      RUNNING    | restart          | halt: restarting on request
      RUNNING    | stop             | halt: stopped by operator
      RUNNING    | remove           | halt: removed
      RUNNING    | launched         | nothing
      RUNNING    | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      RUNNING    | exited 1         | restarting: exited with code 1; restarting in 100 ms [attempt 1, 1 used]
      RUNNING    | halted           | nothing
      RUNNING    | halt failed      | failed: could not stop: no such process
      RUNNING    | quota breached   | halt: quota_exceeded: memory 80 MB (max 64), cpu 3 % (max null) [quota_exceeded]
      RUNNING    | ran too long     | halt: max_runtime_exceeded: ran 30 s [max_runtime_exceeded]
      RUNNING    | heartbeat missed | halt: heartbeat_timeout: no heartbeat for 5 s [heartbeat_timeout]
      RUNNING    | backoff elapsed  | nothing
      STOPPING   | start            | nothing
      STOPPING   | restart          | nothing
      STOPPING   | stop             | nothing
      STOPPING   | remove           | nothing
      STOPPING   | launched         | nothing
      STOPPING   | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      STOPPING   | exited 1         | nothing
      STOPPING   | halted           | launch
      STOPPING   | halt failed      | failed: could not stop: no such process
      STOPPING   | quota breached   | nothing
      STOPPING   | ran too long     | nothing
      STOPPING   | heartbeat missed | nothing
      STOPPING   | backoff elapsed  | nothing
      RESTARTING | start            | launch
      RESTARTING | restart          | launch
      RESTARTING | stop             | stopped: stopped by operator
      RESTARTING | remove           | stopped: removed
      RESTARTING | launched         | nothing
      RESTARTING | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      RESTARTING | exited 1         | nothing
      RESTARTING | halted           | nothing
      RESTARTING | halt failed      | failed: could not stop: no such process
      RESTARTING | quota breached   | nothing
      RESTARTING | ran too long     | nothing
      RESTARTING | heartbeat missed | nothing
      RESTARTING | backoff elapsed  | launch
      FAILED     | start            | launch with a fresh budget
      FAILED     | restart          | launch with a fresh budget
      FAILED     | stop             | stopped: stopped by operator
      FAILED     | remove           | stopped: removed
      FAILED     | launched         | nothing
      FAILED     | launch failed    | failed: command_not_allowed: 'curl' is not allowed
      FAILED     | exited 1         | nothing
      FAILED     | halted           | nothing
      FAILED     | halt failed      | failed: could not stop: no such process
      FAILED     | quota breached   | nothing
      FAILED     | ran too long     | nothing
      FAILED     | heartbeat missed | nothing
      FAILED     | backoff elapsed  | nothing
      """)
  void everyStateMeetsEveryEvent(BotStatus status, String event, String expected) {
    assertThat(text(POLICY.decide(situation(status, wantRunning(event)), EVENTS.get(event)))).isEqualTo(expected);
  }

  @Test
  void theTableNamesEveryKindOfEvent() {
    assertThat(EVENTS.values()).extracting(Object::getClass).containsExactlyInAnyOrder(LifecycleEvent.class.getPermittedSubclasses());
  }

  @ParameterizedTest(name = "{0} after exit {1} (signal {2}) -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      NEVER      | 0 | -  | stopped: exited with code 0
      NEVER      | 3 | -  | failed: exited with code 3
      NEVER      | - | -  | failed: exited
      ON_FAILURE | 0 | -  | stopped: exited with code 0
      ON_FAILURE | 1 | -  | restarting: exited with code 1; restarting in 100 ms [attempt 1, 1 used]
      ON_FAILURE | - | -  | restarting: exited; restarting in 100 ms [attempt 1, 1 used]
      ON_FAILURE | 137 | 9 | restarting: killed by signal 9; restarting in 100 ms [attempt 1, 1 used]
      ALWAYS     | 0 | -  | restarting: exited with code 0; restarting in 100 ms [attempt 1, 1 used]
      ALWAYS     | 2 | -  | restarting: exited with code 2; restarting in 100 ms [attempt 1, 1 used]
      """)
  void anExitGoesThroughTheRestartPolicy(RestartPolicy.Policy policy, Integer code, Integer signal, String expected) {
    Situation s = situation(BotStatus.RUNNING, true);
    Situation under = new Situation(s.status(), true, GENERATION, s.reason(), null, s.runStartedAt(), policy(policy),
        RestartBudget.of(policy(policy)), 0, NOW);
    assertThat(text(POLICY.decide(under, new Exited(GENERATION, new ExitStatus(code, signal))))).isEqualTo(expected);
  }

  /** Restarts already taken (seconds before now), the backoff attempt and how long the run lasted decide the delay or the failure. */
  @ParameterizedTest(name = "restarts {0} s ago, attempt {1}, ran {2} ms -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      -       | 0  | 1000  | restarting: exited with code 1; restarting in 100 ms [attempt 1, 1 used]
      5       | 1  | 1000  | restarting: exited with code 1; restarting in 200 ms [attempt 2, 2 used]
      5       | 2  | 1000  | restarting: exited with code 1; restarting in 400 ms [attempt 3, 2 used]
      30;5    | 2  | 1000  | failed: restart limit reached: 2 restarts within 60 s
      61;59   | 2  | 1000  | restarting: exited with code 1; restarting in 400 ms [attempt 3, 2 used]
      -       | 9  | 1000  | restarting: exited with code 1; restarting in 5000 ms [attempt 10, 1 used]
      -       | 9  | 9999  | restarting: exited with code 1; restarting in 5000 ms [attempt 10, 1 used]
      -       | 9  | 10000 | restarting: exited with code 1; restarting in 100 ms [attempt 1, 1 used]
      """)
  void theBudgetAndTheBackoffDecideTheRestart(String restartsAgo, int attempt, long ranMs, String expected) {
    RestartPolicy policy = policy(RestartPolicy.Policy.ON_FAILURE);
    RestartBudget budget = RestartBudget.of(policy);
    if (restartsAgo != null) {
      for (String ago : restartsAgo.split(";")) {
        budget = budget.plus(NOW.minusSeconds(Long.parseLong(ago)));
      }
    }
    Situation s = new Situation(BotStatus.RUNNING, true, GENERATION, null, null, NOW.minusMillis(ranMs), policy, budget, attempt, NOW);
    assertThat(text(POLICY.decide(s, new Exited(GENERATION, new ExitStatus(1, null))))).isEqualTo(expected);
  }

  /** After a stop the executor made itself the desired state decides, then the restart policy (the run counts as failed). */
  @ParameterizedTest(name = "{0}, cause {1}, wanted {2}, killed {3}, {4} restarts used -> {5}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      ON_FAILURE | quota_exceeded       | false | true  | 0 | stopped: quota_exceeded: memory 80 MB (killed after 1000 ms)
      ON_FAILURE | quota_exceeded       | true  | false | 0 | restarting: quota_exceeded; restarting in 100 ms [attempt 1, 1 used]
      ON_FAILURE | heartbeat_timeout    | true  | false | 0 | restarting: heartbeat_timeout; restarting in 100 ms [attempt 1, 1 used]
      ON_FAILURE | max_runtime_exceeded | true  | false | 2 | failed: max_runtime_exceeded
      NEVER      | max_runtime_exceeded | true  | false | 0 | failed: max_runtime_exceeded
      NEVER      | quota_exceeded       | true  | true  | 0 | failed: quota_exceeded (killed after 1000 ms)
      ALWAYS     | quota_exceeded       | true  | false | 0 | restarting: quota_exceeded; restarting in 100 ms [attempt 1, 1 used]
      ON_FAILURE | -                    | true  | false | 0 | launch
      ON_FAILURE | -                    | false | true  | 0 | stopped: quota_exceeded: memory 80 MB (killed after 1000 ms)
      """)
  void whatFollowsAStop(RestartPolicy.Policy policy, String cause, boolean wantRunning, boolean killed, int used, String expected) {
    RestartBudget budget = RestartBudget.of(policy(policy));
    for (int i = 0; i < used; i++) {
      budget = budget.plus(NOW.minusSeconds(i + 1));
    }
    // the process is gone before the policy hears of it: no run time resets the backoff
    Situation s = new Situation(BotStatus.STOPPING, wantRunning, GENERATION, "quota_exceeded: memory 80 MB", cause, null,
        policy(policy), budget, 0, NOW);
    assertThat(text(POLICY.decide(s, new Halted(killed, 1000)))).isEqualTo(expected);
  }

  @Test
  void aRestartAfterAKilledRunSaysSo() {
    Situation s = new Situation(BotStatus.STOPPING, true, GENERATION, "quota_exceeded: memory 80 MB", "quota_exceeded", null,
        policy(RestartPolicy.Policy.ON_FAILURE), RestartBudget.of(policy(RestartPolicy.Policy.ON_FAILURE)), 0, NOW);
    assertThat(((Decision.RestartLater) POLICY.decide(s, new Halted(true, 1000))).why())
        .isEqualTo("quota_exceeded (killed after 1000 ms); restarting in 100 ms");
  }

  @Test
  void aBotStoppedWhileItWasStartingIsStoppedOnceItRuns() {
    assertThat(text(POLICY.decide(situation(BotStatus.RUNNING, false), new Launched()))).isEqualTo("halt: stopped by operator");
    assertThat(text(POLICY.decide(situation(BotStatus.RUNNING, true), new Launched()))).isEqualTo("nothing");
  }

  @Test
  void eventsOfAnEarlierProcessAreIgnored() {
    Situation running = situation(BotStatus.RUNNING, true);
    assertThat(POLICY.decide(running, new Exited(GENERATION - 1, new ExitStatus(1, null)))).isEqualTo(Decision.NONE);
    assertThat(POLICY.decide(running, new RanTooLong(GENERATION - 1, 30))).isEqualTo(Decision.NONE);
  }

  @Test
  void theBackoffIsJitteredByTwentyPercentEitherWay() {
    Situation running = situation(BotStatus.RUNNING, true);
    Exited crash = new Exited(GENERATION, new ExitStatus(1, null));
    assertThat(((Decision.RestartLater) new LifecyclePolicy(() -> 0).decide(running, crash)).delayMs()).isEqualTo(80);
    assertThat(((Decision.RestartLater) new LifecyclePolicy(() -> 0.999_999).decide(running, crash)).delayMs()).isEqualTo(120);
  }

  @Test
  void theBudgetWindowSlides() {
    RestartBudget budget = RestartBudget.of(policy(RestartPolicy.Policy.ALWAYS)).plus(NOW.minusSeconds(61)).plus(NOW);
    assertThat(budget.at(NOW).used()).isEqualTo(1);
    assertThat(budget.at(NOW.plus(Duration.ofSeconds(61))).used()).isZero();
  }
}
