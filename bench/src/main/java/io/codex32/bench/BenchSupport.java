package io.codex32.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Helpers the bench tools share: {@code --name=value} arguments and CPU counters from /proc. */
final class BenchSupport {

  private BenchSupport() {
  }

  /** {@code --name=value} arguments of argv[from..] up to a {@code --} (which ends them); anything else is an error. */
  static Map<String, String> parseArgs(String[] argv, int from) {
    Map<String, String> args = new HashMap<>();
    for (int i = from; i < argv.length && !argv[i].equals("--"); i++) {
      if (!argv[i].startsWith("--") || !argv[i].contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + argv[i]);
      }
      args.put(argv[i].substring(2, argv[i].indexOf('=')), argv[i].substring(argv[i].indexOf('=') + 1));
    }
    return args;
  }

  static String require(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return value;
  }

  static int intArg(Map<String, String> args, String name, int def) {
    return Integer.parseInt(args.getOrDefault(name, String.valueOf(def)));
  }

  /** utime + stime in clock ticks from a /proc/.../stat file (of a process or of a thread). */
  static long processTicks(Path stat) throws IOException {
    String text = Files.readString(stat);
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    // fields[0] is the state (field 3); utime is field 14, stime field 15
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** {busy, total} ticks of the whole machine from /proc/stat; busy = user, nice, system, irq, softirq, steal. */
  static long[] machineTicks() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
        + Long.parseLong(f[8]);
    long total = busy + Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {busy, total};
  }

  /** A field of /proc/&lt;pid&gt;/status in kB (VmRSS, VmHWM), or -1 when the process is gone. */
  static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
