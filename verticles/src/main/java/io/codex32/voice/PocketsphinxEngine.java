package io.codex32.voice;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CMU PocketSphinx as Debian ships it: each recognition is one {@code pocketsphinx_continuous}
 * child process (started without a shell) reading raw PCM from its stdin ({@code -infile
 * /dev/stdin}; a name not ending in {@code .wav} is read as headerless 16 kHz audio) under a JSGF
 * grammar made from the vocabulary. The audio is streamed to it as it arrives, by a writer thread,
 * so a stuck process never blocks the caller; it prints one line per utterance it heard (it splits
 * on silence), each reported as partial text. After {@link Recognition#finish()} it must exit within
 * {@code finishTimeout}, or it and its children are killed; its output is read up to
 * {@value #MAX_OUTPUT_BYTES} bytes.
 */
public final class PocketsphinxEngine implements SpeechEngine {

  public static final String NAME = "pocketsphinx";
  public static final Path DEBIAN_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us/en-us");
  public static final Path DEBIAN_DICTIONARY = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
  public static final Duration FINISH_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_OUTPUT_BYTES = 64 * 1024;
  private static final int MAX_GRAMMARS = 64;
  private static final int LOG_TAIL_BYTES = 600;
  private static final Logger LOG = LoggerFactory.getLogger(PocketsphinxEngine.class);
  /** One word set per dictionary file for the whole JVM: 135,000 entries are read once. */
  private static final Map<Path, Set<String>> DICTIONARIES = new ConcurrentHashMap<>();

  private final String command;
  private final Path model;
  private final Path dictionary;
  private final Duration finishTimeout;
  private final Map<String, Path> grammars = new LinkedHashMap<>(16, 0.75f, true);
  private Path workDir;

  public PocketsphinxEngine(String command, Path model, Path dictionary, Duration finishTimeout) {
    this.command = command;
    this.model = model;
    this.dictionary = dictionary;
    this.finishTimeout = finishTimeout;
  }

  /** Debian's packages: {@code pocketsphinx} (the command) and {@code pocketsphinx-en-us} (model, dictionary). */
  public static PocketsphinxEngine debian(String command) {
    return new PocketsphinxEngine(command, DEBIAN_MODEL, DEBIAN_DICTIONARY, FINISH_TIMEOUT);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Why this engine cannot run here (the command, the model or the dictionary is missing), or empty. */
  public Optional<String> unavailability() {
    if (executable(command).isEmpty()) {
      return Optional.of("'" + command + "' (voice.pocketsphinx_command) is not an executable file nor on the PATH "
          + "(Debian: apt-get install pocketsphinx)");
    }
    if (!Files.isRegularFile(model.resolve("mdef"))) {
      return Optional.of("no PocketSphinx acoustic model in " + model + " (Debian: apt-get install pocketsphinx-en-us)");
    }
    if (!Files.isRegularFile(dictionary)) {
      return Optional.of("no PocketSphinx dictionary " + dictionary + " (Debian: apt-get install pocketsphinx-en-us)");
    }
    return Optional.empty();
  }

  /** The words of the pronunciation dictionary ({@code word(2)} alternatives count as {@code word}); read once. */
  public Set<String> knownWords() throws EngineUnavailableException {
    try {
      return DICTIONARIES.computeIfAbsent(dictionary, PocketsphinxEngine::readDictionary);
    } catch (UncheckedIOException e) {
      throw new EngineUnavailableException("cannot read the PocketSphinx dictionary " + dictionary + ": " + e.getCause().getMessage(), e);
    }
  }

  private static Set<String> readDictionary(Path file) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.map(line -> {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        int alternative = word.indexOf('(');
        return alternative > 0 ? word.substring(0, alternative) : word;
      }).filter(word -> !word.isBlank()).collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Recognition open(Vocabulary vocabulary, int sampleRate) throws EngineUnavailableException {
    Optional<String> missing = unavailability();
    if (missing.isPresent()) {
      throw new EngineUnavailableException(missing.get());
    }
    if (sampleRate != SAMPLE_RATE) {
      throw new IllegalArgumentException("PocketSphinx's model is for " + SAMPLE_RATE + " Hz audio, not " + sampleRate);
    }
    Set<String> words = knownWords();
    Path grammar = grammarFile(vocabulary.jsgf(words::contains));
    try {
      Path log = Files.createTempFile(workDir, "decode-", ".log");
      // -fsgusealtpron no: with the dictionary's alternative pronunciations in the grammar search,
      // PocketSphinx 5prealpha loses sentences through several optional words in a row ("list
      // running bots" gave "Final result does not match the grammar" and no text)
      List<String> args = List.of(executable(command).orElseThrow().toString(), "-infile", "/dev/stdin", "-samprate",
          Integer.toString(sampleRate), "-hmm", model.toString(), "-dict", dictionary.toString(), "-jsgf", grammar.toString(),
          "-fsgusealtpron", "no");
      Process process = new ProcessBuilder(args).redirectError(log.toFile()).start();
      return new Decoding(process, log, finishTimeout);
    } catch (IOException e) {
      throw new EngineUnavailableException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  /**
   * The grammar file for {@code jsgf}, written once per distinct grammar (named by its hash) and kept
   * for the next recognitions with the same vocabulary; the least recently used are deleted beyond
   * {@value #MAX_GRAMMARS}.
   */
  private synchronized Path grammarFile(String jsgf) throws EngineUnavailableException {
    try {
      if (workDir == null) {
        workDir = Files.createTempDirectory("codex32-pocketsphinx-");
      }
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jsgf.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 24);
      Path cached = grammars.get(hash);
      if (cached != null && Files.isRegularFile(cached)) {
        return cached;
      }
      Path file = workDir.resolve("grammar-" + hash + ".jsgf");
      Path tmp = workDir.resolve("grammar-" + hash + ".tmp");
      Files.writeString(tmp, jsgf, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      grammars.put(hash, file);
      while (grammars.size() > MAX_GRAMMARS) {
        String eldest = grammars.keySet().iterator().next();
        Files.deleteIfExists(grammars.remove(eldest));
      }
      return file;
    } catch (IOException e) {
      throw new EngineUnavailableException("cannot write a grammar file: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the grammar files and the engine's temporary directory. */
  @Override
  public synchronized void close() {
    grammars.clear();
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        LOG.debug("could not delete {}: {}", workDir, e.toString());
      }
      workDir = null;
    }
  }

  /** {@code command} as an executable file: a path as it is, a bare name looked up on the PATH. */
  static Optional<Path> executable(String command) {
    if (command == null || command.isBlank()) {
      return Optional.empty();
    }
    if (command.contains("/")) {
      Path path = Path.of(command);
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
    }
    String pathVariable = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** One running {@code pocketsphinx_continuous} process and the two threads that feed and read it. */
  private static final class Decoding implements Recognition {

    private static final byte[] END = new byte[0];

    private final Process process;
    private final Path log;
    private final Duration finishTimeout;
    private final BlockingQueue<byte[]> audio = new LinkedBlockingQueue<>();
    private final List<String> utterances = new ArrayList<>();
    private final Thread writer;
    private final Thread reader;
    private volatile boolean overflow;
    private int reported;
    private boolean ended;

    Decoding(Process process, Path log, Duration finishTimeout) {
      this.process = process;
      this.log = log;
      this.finishTimeout = finishTimeout;
      this.writer = new Thread(this::write, "pocketsphinx-in-" + process.pid());
      this.reader = new Thread(this::read, "pocketsphinx-out-" + process.pid());
      writer.setDaemon(true);
      reader.setDaemon(true);
      writer.start();
      reader.start();
    }

    @Override
    public Optional<String> accept(byte[] pcm) {
      if (ended) {
        throw new IllegalStateException("the recognition has ended");
      }
      if (pcm.length > 0) {
        audio.add(pcm.clone());
      }
      synchronized (utterances) {
        if (utterances.size() == reported) {
          return Optional.empty();
        }
        reported = utterances.size();
        return Optional.of(String.join(" ", utterances));
      }
    }

    @Override
    public String finish() throws RecognitionException {
      ended = true;
      audio.add(END);
      try {
        if (!process.waitFor(finishTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          kill();
          throw new RecognitionException("pocketsphinx did not finish within " + finishTimeout.toMillis() + " ms and was killed");
        }
        reader.join(finishTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new RecognitionException("interrupted while pocketsphinx was decoding", e);
      }
      if (overflow) {
        throw new RecognitionException("pocketsphinx printed more than " + MAX_OUTPUT_BYTES + " bytes and was killed");
      }
      if (process.exitValue() != 0) {
        throw new RecognitionException("pocketsphinx exited with code " + process.exitValue() + ": " + logTail());
      }
      synchronized (utterances) {
        return String.join(" ", utterances);
      }
    }

    @Override
    public void close() {
      ended = true;
      audio.add(END);
      kill();
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        LOG.debug("could not delete {}: {}", log, e.toString());
      }
    }

    /** The process and everything it started: a wrapper script's children too. */
    private void kill() {
      List<ProcessHandle> tree = process.toHandle().descendants().toList();
      process.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
    }

    private void write() {
      try (OutputStream in = process.getOutputStream()) {
        while (true) {
          byte[] chunk = audio.take();
          if (chunk == END) {
            return;
          }
          in.write(chunk);
          in.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the process ended or was killed: finish() reports why
        audio.clear();
      }
    }

    /** One hypothesis per line; output beyond the bound kills the process. */
    private void read() {
      byte[] buffer = new byte[4096];
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      int total = 0;
      try (InputStream out = process.getInputStream()) {
        int n;
        while ((n = out.read(buffer)) > 0) {
          total += n;
          if (total > MAX_OUTPUT_BYTES) {
            overflow = true;
            kill();
            return;
          }
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              heard(line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(buffer[i]);
            }
          }
        }
        heard(line.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // killed while reading
      }
    }

    private void heard(String text) {
      String hypothesis = text.strip().replaceAll("\\s+", " ");
      if (!hypothesis.isEmpty()) {
        synchronized (utterances) {
          utterances.add(hypothesis);
        }
      }
    }

    private String logTail() {
      try {
        byte[] bytes = Files.readAllBytes(log);
        int from = Math.max(0, bytes.length - LOG_TAIL_BYTES);
        String tail = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).strip();
        return tail.isEmpty() ? "(nothing logged)" : tail.replaceAll("\\s*\\n\\s*", " | ");
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }
}
