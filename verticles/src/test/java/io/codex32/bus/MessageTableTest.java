package io.codex32.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every message record of the bus contract has a row in the message table of docs/architecture.md. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageTableTest {

  private static final Path SOURCES = Path.of("src/main/java/io/codex32/bus");
  private static final Path ARCHITECTURE = Path.of("../docs/architecture.md");
  private static final String SECTION = "## Event-bus messages";

  @Test
  void everyMessageRecordHasARowInTheMessageTable() throws Exception {
    List<String> rows = tableRows();
    List<String> records = messageRecords();

    assertThat(records).as("message records found in %s", SOURCES)
        .contains("ExecutorRequest.Start", "ExecutorReply.BotCount", "BotEvent.Status", "BotHeartbeat", "NodeHeartbeat");
    List<String> missing = records.stream().filter(name -> rows.stream().noneMatch(row -> mentions(row, name))).toList();
    assertThat(missing).as("message records without a row in the \"%s\" table of %s", SECTION, ARCHITECTURE).isEmpty();
  }

  /** The simple names ({@code BotEvent.Status}, {@code BotHeartbeat}) of every record in the package that is a {@link BusMessage}. */
  private static List<String> messageRecords() throws IOException, ClassNotFoundException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        collect(Class.forName(BusMessage.class.getPackageName() + "." + name), names);
      }
    }
    return names;
  }

  private static void collect(Class<?> type, List<String> names) {
    if (!BusMessage.class.isAssignableFrom(type)) {
      return;
    }
    if (type.isRecord()) {
      Class<?> family = type.getEnclosingClass();
      names.add(family == null ? type.getSimpleName() : family.getSimpleName() + "." + type.getSimpleName());
    } else if (type.isSealed()) {
      for (Class<?> permitted : type.getPermittedSubclasses()) {
        collect(permitted, names);
      }
    }
  }

  /** The table rows of the section on event-bus messages. */
  private static List<String> tableRows() throws IOException {
    List<String> lines = Files.readAllLines(ARCHITECTURE);
    int start = lines.indexOf(SECTION);
    assertThat(start).as("section \"%s\" in %s", SECTION, ARCHITECTURE).isNotNegative();
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("|")) {
        rows.add(line);
      }
    }
    return rows;
  }

  private static boolean mentions(String row, String name) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w])").matcher(row).find();
  }
}
