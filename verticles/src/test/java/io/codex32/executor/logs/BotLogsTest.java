package io.codex32.executor.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex32.bus.Addresses;
import io.codex32.bus.BotLogLine;
import io.codex32.executor.settings.BotPaths;
import io.codex32.test.Await;
import io.codex32.test.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BotLogsTest {

  private static final String BOT = "weather";
  private static final int KIB = 1024;
  /** Small limits so that rotation and truncation happen in a test: 256 KiB files, 2 generations, 50 ms polls. */
  private static final LogLimits SMALL = new LogLimits(1024, 200, 256 * KIB, 2, 50);

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private BotPaths paths;
  private BotLogs logs;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    vertx = TestVertx.create();
    paths = BotPaths.under(dataDir);
    Files.createDirectories(paths.logsDir(BOT));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process process : started) {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(5, TimeUnit.SECONDS);
    }
    if (logs != null) {
      logs.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void linesWrittenByAChildProcessAppearInOrderInTailAndOnTheBus() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    Queue<JsonObject> published = consume(BOT);
    logs.follow(BOT, false);

    Process writer = startWriter(paths.stdout(BOT), "sh", "-c", "for i in $(seq 1 50); do echo line $i; done");
    assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();

    List<String> expected = IntStream.rangeClosed(1, 50).mapToObj(i -> "line " + i).toList();
    Await.until(() -> logs.tail(BOT, 100, null).size() == 50, "50 lines in the ring");
    List<BotLogLine> tail = logs.tail(BOT, 100, null);
    assertThat(tail).extracting(BotLogLine::line).containsExactlyElementsOf(expected);
    assertThat(tail).extracting(BotLogLine::stream).containsOnly(BotLogLine.STDOUT);
    assertThat(tail).extracting(BotLogLine::seq).isSorted().doesNotHaveDuplicates();
    assertThat(logs.tail(BOT, 3, null)).extracting(BotLogLine::line).containsExactly("line 48", "line 49", "line 50");

    Await.until(() -> published.size() == 50, "50 lines on the bus");
    assertThat(published).extracting(json -> json.getString("line")).containsExactlyElementsOf(expected);
    assertThat(published.peek().getString("bot_id")).isEqualTo(BOT);
    assertThat(logs.stats(BOT)).isEqualTo(new LogStats(50, 50, 0, 0, 0));
  }

  @Test
  void stderrLinesAreTaggedWithTheirStream() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    Process writer = new ProcessBuilder("sh", "-c", "echo to-out; echo to-err >&2")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.stdout(BOT).toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(paths.stderr(BOT).toFile())).start();
    started.add(writer);

    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "both lines");
    assertThat(logs.tail(BOT, 10, null)).extracting(line -> line.stream() + ":" + line.line())
        .containsExactlyInAnyOrder("stdout:to-out", "stderr:to-err");
  }

  @Test
  void chattyWriterDoesNotBlockTheLoopAndItsFilesStayUnderTheCap() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    Queue<JsonObject> published = consume(BOT);
    logs.follow(BOT, false);
    // 100k lines of ~80 bytes (8 MB, 31x the cap), one write(2) per line, as fast as Python goes
    Process writer = startWriter(paths.stdout(BOT), "python3", "-u", "-c",
        "import sys\nw = sys.stdout.write\nfor i in range(100000):\n    w('chatty line %06d %s\\n' % (i, 'x' * 60))");

    long maxGeneration = 0;
    while (writer.isAlive()) {
      maxGeneration = Math.max(maxGeneration, Math.max(sizeOf(generation(1)), sizeOf(generation(2))));
      writer.waitFor(5, TimeUnit.MILLISECONDS);
    }
    assertThat(writer.exitValue()).isZero();
    long atExit = totalSize();

    // Rotated generations never pass maxFileBytes, even under this flood (it keeps only their newest part).
    // The live file overshoots by what is written between two passes: this writer does ~50 MB/s, so at its
    // exit the total may exceed the cap by a few MB (printed below). The next pass rotates it, after which
    // everything fits into (2 + 1) x 256 KiB with nothing added for a poll's worth.
    long cap = (SMALL.keptGenerations() + 1) * SMALL.maxFileBytes();
    Await.until(() -> sizeOf(paths.stdout(BOT)) < SMALL.rotateAtBytes() && logs.stats(BOT).lines() > 0, "poller caught up");
    System.out.printf("chatty: total at writer exit %d, max generation %d, %s%n", atExit, maxGeneration, logs.stats(BOT));
    assertThat(totalSize()).isLessThanOrEqualTo(cap);
    assertThat(maxGeneration).isLessThanOrEqualTo(SMALL.maxFileBytes());
    assertThat(Files.exists(generation(3))).isFalse();
    assertThat(logs.stats(BOT).rotations()).isPositive();

    List<BotLogLine> ring = logs.tail(BOT, Integer.MAX_VALUE, null);
    assertThat(ring).hasSizeLessThanOrEqualTo(SMALL.ringLines()).isNotEmpty();
    assertThat(ring).extracting(BotLogLine::seq).isSorted().doesNotHaveDuplicates();
    assertThat(ring).allSatisfy(line -> assertThat(line.line()).startsWith("chatty line "));
    LogStats stats = logs.stats(BOT);
    assertThat(stats.published() + stats.dropped()).isEqualTo(stats.lines());
    assertThat(stats.published()).isLessThan(stats.lines());
    Await.until(() -> published.size() == logs.stats(BOT).published(), "every published line delivered");
  }

  @Test
  void veryLongLineIsCutToMaxLineBytes() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    Process writer = startWriter(paths.stdout(BOT), "python3", "-c",
        "import sys\nsys.stdout.write('a' * (1024 * 1024))\nsys.stdout.flush()\nsys.stdout.write('\\nafter\\n')");
    assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();

    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "the long line and the next one");
    List<BotLogLine> tail = logs.tail(BOT, 10, null);
    assertThat(tail.get(0).line()).isEqualTo("a".repeat(SMALL.maxLineBytes()) + LogLimits.TRUNCATION_MARKER);
    assertThat(tail.get(1).line()).isEqualTo("after");
  }

  @Test
  void truncationKeepsWholeUtf8CharactersAndMalformedBytesAreReplaced() throws Exception {
    logs = new BotLogs(vertx, paths, new LogLimits(10, 10, 256 * KIB, 1, 20));
    logs.follow(BOT, false);
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes: 9 a's + € would split it at byte 10
    append(paths.stdout(BOT), "aaaaaaaaa".getBytes(StandardCharsets.UTF_8), euro, "tail\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {'o', 'k', (byte) 0xC3, '\n'});

    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "two lines");
    assertThat(logs.tail(BOT, 10, null)).extracting(BotLogLine::line)
        .containsExactly("aaaaaaaaa" + LogLimits.TRUNCATION_MARKER, "ok\uFFFD");
  }

  @Test
  void partialLineWaitsForItsNewlineAndIsFlushedWhenFollowingStops() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    append(paths.stdout(BOT), "complete\nhalf".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> logs.tail(BOT, 10, null).size() == 1, "the complete line");
    // the poller has read "half" by now (same write); it must wait for the rest, however many passes go by
    awaitPasses(3);
    assertThat(logs.tail(BOT, 10, null)).extracting(BotLogLine::line).containsExactly("complete");

    append(paths.stdout(BOT), " and half\nlast words".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "the joined line");
    assertThat(logs.tail(BOT, 1, null).get(0).line()).isEqualTo("half and half");

    logs.stopFollowing(BOT).await(10, TimeUnit.SECONDS);
    assertThat(logs.isFollowing(BOT)).isFalse();
    assertThat(logs.tail(BOT, 10, null)).extracting(BotLogLine::line).containsExactly("complete", "half and half", "last words");
  }

  @Test
  void sinceKeepsOnlyLinesReadAtOrAfterIt() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    appendLines(paths.stdout(BOT), "old 1", "old 2");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "old lines");
    Instant since = logs.tail(BOT, 1, null).get(0).time().plusNanos(1);

    appendLines(paths.stdout(BOT), "new 1", "new 2");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 4, "new lines");

    assertThat(logs.tail(BOT, 10, since)).extracting(BotLogLine::line).containsExactly("new 1", "new 2");
    assertThat(logs.tail(BOT, 1, since)).extracting(BotLogLine::line).containsExactly("new 2");
    assertThat(logs.tail(BOT, 10, Instant.now().plusSeconds(60))).isEmpty();
  }

  @Test
  void followFromEndSkipsWhatWasAlreadyWritten() throws Exception {
    appendLines(paths.stdout(BOT), "before 1", "before 2");
    appendLines(paths.stderr(BOT), "before err");
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, true);

    appendLines(paths.stdout(BOT), "after");
    Await.until(() -> !logs.tail(BOT, 10, null).isEmpty(), "the new line");
    awaitPasses(2);
    assertThat(logs.tail(BOT, 10, null)).extracting(BotLogLine::line).containsExactly("after");
  }

  @Test
  void fileThatAppearsAfterFollowIsPickedUp() throws Exception {
    String bot = "late";
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(bot, true);
    awaitPasses(2);
    Files.createDirectories(paths.logsDir(bot));

    appendLines(paths.stderr(bot), "hello from a new file");
    Await.until(() -> logs.tail(bot, 10, null).size() == 1, "the line of the new file");
    assertThat(logs.tail(bot, 10, null).get(0).stream()).isEqualTo(BotLogLine.STDERR);
  }

  @Test
  void fileTruncatedBySomeoneElseIsReadAgainFromItsStart() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    appendLines(paths.stdout(BOT), "first run, a longer line", "first run, another line");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 2, "first lines");

    Files.write(paths.stdout(BOT), "second\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
    Await.until(() -> logs.tail(BOT, 10, null).size() == 3, "the line after the truncation");
    assertThat(logs.tail(BOT, 1, null).get(0).line()).isEqualTo("second");
  }

  @Test
  void followingAgainContinuesWhereReadingStoppedAndDiscardForgetsTheRing() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    appendLines(paths.stdout(BOT), "run 1");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 1, "run 1");
    logs.stopFollowing(BOT).await(10, TimeUnit.SECONDS);

    appendLines(paths.stdout(BOT), "between runs");
    logs.follow(BOT, false);
    appendLines(paths.stdout(BOT), "run 2");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 3, "lines of run 2");
    assertThat(logs.tail(BOT, 10, null)).extracting(BotLogLine::line).containsExactly("run 1", "between runs", "run 2");

    logs.discard(BOT);
    assertThat(logs.tail(BOT, 10, null)).isEmpty();
    assertThat(logs.isFollowing(BOT)).isFalse();
    assertThat(Files.exists(paths.stdout(BOT))).isTrue();
  }

  @Test
  void rotationKeepsGenerationsAndTheWriterContinuesInTheTruncatedFile() throws Exception {
    LogLimits limits = new LogLimits(100, 50, 1000, 2, 10);
    logs = new BotLogs(vertx, paths, limits);
    logs.follow(BOT, false);
    for (int r = 0; r < 4; r++) {
      int round = r;
      long rotations = logs.stats(BOT).rotations();
      // 100 lines of 9 bytes pass 7/8 of the 1000-byte cap
      appendLines(paths.stdout(BOT), IntStream.range(0, 100).mapToObj(i -> String.format("r%d-%05d", round, i)).toArray(String[]::new));
      Await.until(() -> logs.stats(BOT).rotations() > rotations, "rotation " + round);
    }
    assertThat(sizeOf(generation(1))).isBetween(limits.rotateAtBytes(), limits.maxFileBytes());
    assertThat(Files.readString(generation(1))).startsWith("r3-00000\n");
    assertThat(Files.readString(generation(2))).startsWith("r2-00000\n");
    assertThat(Files.exists(generation(3))).isFalse();
    assertThat(logs.stats(BOT).skippedBytes()).isZero();
    assertThat(logs.tail(BOT, 1, null).get(0).line()).isEqualTo("r3-00099");
  }

  @Test
  void closeStopsFollowing() throws Exception {
    logs = new BotLogs(vertx, paths, SMALL);
    logs.follow(BOT, false);
    appendLines(paths.stdout(BOT), "one");
    Await.until(() -> logs.tail(BOT, 10, null).size() == 1, "one");
    logs.close();

    assertThat(logs.stopFollowing(BOT).succeeded()).isTrue();
    assertThat(logs.tail(BOT, 10, null)).hasSize(1);
  }

  // ---- helpers ----

  private Queue<JsonObject> consume(String botId) throws Exception {
    Queue<JsonObject> received = new ConcurrentLinkedQueue<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.botLogs(botId), message -> received.add(message.body()));
    consumer.completion().await(5, TimeUnit.SECONDS);
    return received;
  }

  private Process startWriter(Path file, String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
    started.add(process);
    process.getOutputStream().close();
    return process;
  }

  private static void appendLines(Path file, String... lines) throws IOException {
    append(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void append(Path file, byte[]... chunks) throws IOException {
    try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (byte[] chunk : chunks) {
        out.write(chunk);
      }
    }
  }

  /** Waits until the poller has looked at the files {@code n} more times, for checks that something did NOT happen. */
  private void awaitPasses(int n) throws InterruptedException {
    long target = logs.passes() + n;
    Await.until(() -> logs.passes() >= target, n + " passes");
  }

  private Path generation(int g) {
    return paths.stdout(BOT).resolveSibling("stdout.log." + g);
  }

  private long totalSize() throws IOException {
    try (Stream<Path> files = Files.list(paths.logsDir(BOT))) {
      return files.filter(f -> f.getFileName().toString().startsWith("stdout.log")).mapToLong(BotLogsTest::sizeOf).sum();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // not there (yet), or rotated away between listing and stat
    }
  }
}
