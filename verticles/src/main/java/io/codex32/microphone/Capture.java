package io.codex32.microphone;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of the capture command ({@code arecord}) on the configured ALSA device: 16 kHz mono s16le
 * PCM on its stdout, read in chunks of {@value #CHUNK_BYTES} bytes. Started without a shell; its
 * stderr goes to a temporary file whose last line says why it failed. Blocking: {@link #read()}
 * runs on the capture thread, {@link #stop()} may be called from any thread.
 */
final class Capture {

  /** 100 ms of audio: a real microphone fills it in 100 ms, and the node sends it as one chunk. */
  static final int CHUNK_BYTES = 3_200;
  /** Where alsa-lib's own configuration is on Debian and Raspberry Pi OS. */
  static final String SYSTEM_ALSA_CONFIG = "/usr/share/alsa/alsa.conf";
  private static final int MAX_ERROR_CHARS = 300;
  private static final long EXIT_WAIT_MS = 2_000;
  private static final long TERM_GRACE_MS = 500;

  private final Process process;
  private final InputStream audio;
  private final Path errors;
  private final String name;
  private final String device;
  private volatile boolean stopped;

  private Capture(Process process, Path errors, MicrophoneConfig config) {
    this.process = process;
    this.name = config.command();
    this.device = config.device();
    this.audio = process.getInputStream();
    this.errors = errors;
  }

  /** The command line: arecord's options for raw 16 kHz mono s16le on stdout, quietly. */
  static List<String> command(MicrophoneConfig config) {
    return List.of(config.command(), "-D", config.device(), "-q", "-f", "S16_LE", "-r", "16000", "-c", "1", "-t", "raw");
  }

  /** Starts the command; an {@link IOException} when it cannot run at all (not installed). */
  static Capture start(MicrophoneConfig config) throws IOException {
    Path errors = Files.createTempFile("codex32-capture", ".log");
    ProcessBuilder builder = new ProcessBuilder(command(config)).redirectError(errors.toFile());
    if (config.alsaConfig() != null) {
      // alsa-lib reads the files of ALSA_CONFIG_PATH in order: the system's, then the operator's.
      Map<String, String> env = builder.environment();
      String system = env.getOrDefault("ALSA_CONFIG_PATH", SYSTEM_ALSA_CONFIG);
      env.put("ALSA_CONFIG_PATH", system + ":" + config.alsaConfig().toAbsolutePath());
    }
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      return new Capture(process, errors, config);
    } catch (IOException e) {
      Files.deleteIfExists(errors);
      throw e;
    }
  }

  /** The next chunk (whole samples only); empty once the command ended or was stopped. */
  byte[] read() throws IOException {
    byte[] chunk = audio.readNBytes(CHUNK_BYTES);
    if (chunk.length % 2 != 0) {
      byte[] whole = new byte[chunk.length - 1];
      System.arraycopy(chunk, 0, whole, 0, whole.length);
      return whole;
    }
    return chunk;
  }

  /**
   * Ends the capture: the command and any child of it get SIGTERM, and SIGKILL after
   * {@value #TERM_GRACE_MS} ms if still there (arecord blocked in a read of its device does not
   * return on SIGTERM); reading then ends.
   */
  void stop() {
    stopped = true;
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    CompletableFuture.delayedExecutor(TERM_GRACE_MS, TimeUnit.MILLISECONDS).execute(() -> {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    });
  }

  /**
   * Waits for the command to end (killing it after {@value #EXIT_WAIT_MS} ms) and removes its
   * stderr file; returns why it failed, or null when it ended because it was stopped or cleanly.
   * Called once reading ended.
   */
  String finish() throws InterruptedException {
    if (!process.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS);
    }
    String failure = stopped || process.exitValue() == 0 ? null
        : "'" + name + " -D " + device + "' exited with " + process.exitValue() + ": " + lastError();
    try {
      Files.deleteIfExists(errors);
    } catch (IOException e) {
      // a temporary file left behind is harmless
    }
    return failure;
  }

  /** The last line the command wrote on stderr, bounded. */
  private String lastError() {
    try (RandomAccessFile file = new RandomAccessFile(errors.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - 4 * MAX_ERROR_CHARS);
      byte[] tail = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).strip().split("\n");
      String last = lines[lines.length - 1].strip();
      if (last.isEmpty()) {
        return "no message";
      }
      return last.length() > MAX_ERROR_CHARS ? last.substring(0, MAX_ERROR_CHARS) : last;
    } catch (IOException e) {
      return "no message (" + e.getMessage() + ")";
    }
  }
}
