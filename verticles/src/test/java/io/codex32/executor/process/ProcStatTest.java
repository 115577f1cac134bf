package io.codex32.executor.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProcStatTest {

  private static final String REST = " 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 100";

  @Test
  void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
    ProcStat stat = ProcStat.parse(4242, "4242 (my (bot) S 9 9) R" + REST);

    assertThat(stat).isEqualTo(new ProcStat(4242, 'R', 1, 4242, 4242, 987654));
    assertThat(stat.ended()).isFalse();
  }

  @Test
  void fieldsAreReadAfterTheLastParenthesis() {
    ProcStat stat = ProcStat.parse(4242, "4242 (a) b (c)) Z" + REST);

    assertThat(stat).isEqualTo(new ProcStat(4242, 'Z', 1, 4242, 4242, 987654));
    assertThat(stat.ended()).isTrue();
  }

  @Test
  void truncatedLinesAreIgnored() {
    assertThat(ProcStat.parse(1, "1 (init")).isNull();
    assertThat(ProcStat.parse(1, "1 (init) S 0 1")).isNull();
  }

  @Test
  void readsThisProcess() {
    long self = ProcessHandle.current().pid();

    assertThat(ProcStat.read(self)).hasValueSatisfying(stat -> {
      assertThat(stat.pid()).isEqualTo(self);
      assertThat(stat.ended()).isFalse();
      assertThat(stat.startTicks()).isPositive();
    });
    assertThat(ProcStat.all()).anyMatch(stat -> stat.pid() == self);
  }
}
