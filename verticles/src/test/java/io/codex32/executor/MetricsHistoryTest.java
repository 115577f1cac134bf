package io.codex32.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsHistoryTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void keepsOnlyTheNewestCapacitySamplesPerBot() {
    MetricsHistory history = new MetricsHistory(5);
    IntStream.range(0, 12).forEach(i -> history.add("a", sample(i)));
    history.add("b", sample(100));

    assertThat(history.recent("a", 100)).extracting(MetricSample::processes).containsExactly(7, 8, 9, 10, 11);
    assertThat(history.recent("a", 2)).extracting(MetricSample::processes).containsExactly(10, 11);
    assertThat(history.recent("b", 10)).extracting(MetricSample::processes).containsExactly(100);
    assertThat(history.latest("a")).map(MetricSample::processes).contains(11);
  }

  @Test
  void unknownOrClearedBotHasNoHistory() {
    MetricsHistory history = new MetricsHistory();
    history.add("a", sample(1));
    history.clear("a");

    assertThat(history.recent("a", 10)).isEmpty();
    assertThat(history.recent("nobody", 10)).isEmpty();
    assertThat(history.latest("a")).isEmpty();
    assertThat(history.capacity()).isEqualTo(MetricsHistory.DEFAULT_CAPACITY);
  }

  @Test
  void concurrentWritersNeverOverflowTheRing() throws Exception {
    MetricsHistory history = new MetricsHistory(50);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(new Thread(() -> IntStream.range(0, 10_000).forEach(i -> history.add("a", sample(i)))));
    }
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    assertThat(history.recent("a", 1000)).hasSize(50);
  }

  @Test
  void rejectsANonPositiveCapacity() {
    assertThatThrownBy(() -> new MetricsHistory(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
  }

  @Test
  void sampleOfProcessUsageIsInMebibytes() {
    MetricSample sample = MetricSample.of(T0, new ProcessUsage(12.5, 3L * 1024 * 1024, 2));

    assertThat(sample.memoryMb()).isEqualTo(3.0);
    assertThat(sample.toJson().getDouble("cpu_load")).isEqualTo(12.5);
  }

  private static MetricSample sample(int i) {
    return new MetricSample(T0.plusSeconds(i), i, i, i);
  }
}
