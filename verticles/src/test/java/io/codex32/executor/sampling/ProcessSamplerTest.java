package io.codex32.executor.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.test.Await;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessSamplerTest {

  private static final long MB = 1024L * 1024;
  private static final String BUSY_LOOP = "while :; do :; done";
  /** CPU is measured between two samples; windows much shorter than the executor's 200 ms are mostly clock-tick noise. */
  private static final long SAMPLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final ProcessSampler sampler = new ProcessSampler();
  private final List<Process> started = new ArrayList<>();
  private Map<Long, ProcessUsage> lastSample = Map.of();
  private long sampledAt = System.nanoTime() - SAMPLE_INTERVAL_NANOS;

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process process : started) {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void busyChildUsesAtLeastHalfACoreFromItsSecondSample() throws Exception {
    Process busy = start("sh", "-c", BUSY_LOOP);

    ProcessUsage first = sample(List.of(busy.pid())).get(busy.pid());
    assertThat(first.cpuPercent()).as("first sighting has no CPU delta yet").isZero();
    assertThat(first.processes()).isEqualTo(1);

    ProcessUsage busyUsage = awaitUsage(busy.pid(), usage -> usage.cpuPercent() >= 50);
    assertThat(busyUsage.cpuPercent()).isLessThan(100 * Runtime.getRuntime().availableProcessors() + 20);
  }

  @Test
  void memoryHogShowsItsResidentSet() throws Exception {
    Process hog = start("python3", "-c", "import time\nb = b'x' * (150 * 1024 * 1024)\nprint('ready', flush=True)\ntime.sleep(60)");

    ProcessUsage usage = awaitUsage(hog.pid(), u -> u.rssBytes() >= 100 * MB);
    assertThat(usage.rssBytes()).isLessThan(400 * MB);
  }

  @Test
  void treeWithTwoBusyGrandchildrenSumsBoth() throws Exception {
    // outer sh -> inner sh -> two busy subshells; "; wait" keeps sh from exec-ing its last command
    Process parent = start("sh", "-c", "sh -c '(" + BUSY_LOOP + ") & (" + BUSY_LOOP + ") & wait'; wait");
    List<Long> grandchildren = awaitGrandchildren(parent, 2);
    List<Long> roots = List.of(parent.pid(), grandchildren.get(0), grandchildren.get(1));

    // Absolute CPU depends on how loaded the machine is (two loops on two busy cores may get < 100 %),
    // so the sum is checked within one sample, where tree and grandchildren are read from the same snapshot.
    sample(roots);
    Map<Long, ProcessUsage> usage = Await.until(() -> sampleAtInterval(roots), sample -> bothBusy(sample, roots),
        "both grandchildren busy and the tree at least one busy child");

    assertThat(bothBusy(usage, roots)).as("both grandchildren busy and the tree at least one busy child: %s", usage).isTrue();
    ProcessUsage tree = usage.get(parent.pid());
    assertThat(tree.processes()).isEqualTo(4);
    double grandchildrenCpu = usage.get(roots.get(1)).cpuPercent() + usage.get(roots.get(2)).cpuPercent();
    assertThat(tree.cpuPercent()).isGreaterThanOrEqualTo(grandchildrenCpu - 1e-9);
    assertThat(tree.rssBytes()).isGreaterThan(usage.get(roots.get(1)).rssBytes());
  }

  private static boolean bothBusy(Map<Long, ProcessUsage> usage, List<Long> roots) {
    return usage.get(roots.get(1)).cpuPercent() > 5 && usage.get(roots.get(2)).cpuPercent() > 5
        && usage.get(roots.get(0)).cpuPercent() >= 50;
  }

  private static List<Long> awaitGrandchildren(Process parent, int count) {
    return Await.until(() -> parent.children().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList(),
        grandchildren -> grandchildren.size() == count, count + " grandchildren of " + parent.pid());
  }

  @Test
  void rootThatExitedIsAbsent() throws Exception {
    Process alive = start("sleep", "30");
    Process dead = start("sleep", "30");
    assertThat(sampler.sample(List.of(alive.pid(), dead.pid()))).containsKeys(alive.pid(), dead.pid());

    dead.destroyForcibly();
    assertThat(dead.waitFor(5, TimeUnit.SECONDS)).isTrue();

    Map<Long, ProcessUsage> usage = sampler.sample(List.of(alive.pid(), dead.pid()));
    assertThat(usage).containsOnlyKeys(alive.pid());
    assertThat(usage.get(alive.pid()).processes()).isEqualTo(1);
  }

  @Test
  void noRootsMeansNothingToSample() {
    assertThat(sampler.sample(List.of())).isEmpty();
  }

  private ProcessUsage awaitUsage(long pid, Predicate<ProcessUsage> condition) {
    return Await.until(() -> sampleAtInterval(List.of(pid)).get(pid), usage -> usage != null && condition.test(usage),
        "usage of " + pid + " meeting the condition");
  }

  private Map<Long, ProcessUsage> sample(List<Long> roots) {
    lastSample = sampler.sample(roots);
    sampledAt = System.nanoTime();
    return lastSample;
  }

  /** A new sample once the interval has passed since the last one; until then the last one again. */
  private Map<Long, ProcessUsage> sampleAtInterval(List<Long> roots) {
    return System.nanoTime() - sampledAt >= SAMPLE_INTERVAL_NANOS ? sample(roots) : lastSample;
  }

  private Process start(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    started.add(process);
    process.getOutputStream().close();
    return process;
  }
}
