package io.codex32.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Markdown tables of bench/cluster.sh, from the JSON that {@code ClusterBench run} writes. */
final class ClusterReport {

  private ClusterReport() {
  }

  static String markdown(JsonObject r) {
    StringBuilder md = new StringBuilder();
    requestReply(md, r.getJsonObject("request_reply"));
    join(md, r.getJsonObject("bench_member"), r.getJsonObject("join"));
    loss(md, r.getJsonObject("settings"), r.getJsonObject("loss"));
    memory(md, r.getJsonArray("memory"), r.getJsonObject("settings").getString("jvm_flags"));
    return md.toString();
  }

  private static String f(String format, Object... values) {
    return String.format(Locale.ROOT, format, values);
  }

  private static String ms(double us) {
    return f("%.3f", us / 1000);
  }

  private static void requestReply(StringBuilder md, JsonObject rr) {
    String request = rr.getString("request_body");
    String reply = rr.getString("reply_body");
    md.append("#### 1. Request/reply, bench member → edge node executor\n\n");
    md.append(f("Sequential (one request in flight) from the bench member's event loop; %d s warm-up per target, then %d s per target "
        + "in %d alternating rounds. Request body `%s` (%d bytes), reply `%s` (%d bytes) on both paths. Round trip in ms "
        + "(HdrHistogram, 3 significant digits). Machine busy during the rounds: %.2f cores.%n%n", rr.getInteger("warmup_s"),
        rr.getInteger("duration_s"), rr.getInteger("rounds"), request, request.getBytes(StandardCharsets.UTF_8).length, reply,
        reply.getBytes(StandardCharsets.UTF_8).length, rr.getDouble("machine_busy_cores")));
    md.append("| path | requests | requests/s | mean | p50 | p90 | p99 | p99.9 | max | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    md.append(latencyRow("clustered event bus, `codex32.node.bench-edge.executor` `summary`", rr.getJsonObject("bus")));
    md.append(latencyRow("reference: Vert.x NetSocket ping-pong, length-prefixed JSON", rr.getJsonObject("net")));
    md.append('\n');
    md.append("p50 / p99 per round: event bus ").append(rounds(rr.getJsonObject("bus"))).append("; NetSocket ")
        .append(rounds(rr.getJsonObject("net"))).append(f(". Warm-up requests: event bus %d, NetSocket %d.%n%n",
            rr.getJsonObject("warmup_requests").getLong("bus"), rr.getJsonObject("warmup_requests").getLong("net")));
    String error = firstError(rr.getJsonObject("bus"));
    if (error != null) {
      md.append("First event-bus error: `").append(error).append("`.\n\n");
    }
  }

  private static String latencyRow(String name, JsonObject t) {
    return f("| %s | %d | %.0f | %s | %s | %s | %s | %s | %s | %d |%n", name, t.getLong("requests"), t.getDouble("per_s"),
        ms(t.getDouble("mean_us")), ms(t.getDouble("p50_us")), ms(t.getDouble("p90_us")), ms(t.getDouble("p99_us")),
        ms(t.getDouble("p999_us")), ms(t.getDouble("max_us")), t.getLong("errors"));
  }

  private static String rounds(JsonObject t) {
    JsonArray rounds = t.getJsonArray("rounds");
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      JsonObject round = rounds.getJsonObject(i);
      parts.add(ms(round.getDouble("p50_us")) + " / " + ms(round.getDouble("p99_us")));
    }
    return String.join(", ", parts);
  }

  private static String firstError(JsonObject t) {
    JsonArray rounds = t.getJsonArray("rounds");
    for (int i = 0; i < rounds.size(); i++) {
      String error = rounds.getJsonObject(i).getString("first_error");
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  private static void join(StringBuilder md, JsonObject bench, JsonObject join) {
    JsonArray edges = join.getJsonArray("edge");
    JsonArray bares = join.getJsonArray("bare");
    md.append("#### 2. Join time\n\n");
    md.append(f("From the fork of `java` (the bench member's clock) to each event, in seconds: min / median / max over %d runs each, "
        + "started one at a time (an edge node, then a bare member, in turn), each stopped and dropped from the cluster before the "
        + "next. Machine busy during the runs: %.2f cores.%n%n", edges.size(), join.getDouble("machine_busy_cores")));
    md.append("| new member | Hazelcast member added (seen by the bench member) | process says it is up | first heartbeat on "
        + "`codex32.nodes.heartbeat` | gateway lists it online |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    md.append(f("| edge-node jar (lite member) | %s | %s (`is up on port`) | %s | %s |%n", spread(edges, "member_added_ms"),
        spread(edges, "up_line_ms"), spread(edges, "first_heartbeat_ms"), spread(edges, "gateway_online_ms")));
    md.append(f("| bare member (lite member, bench jar) | %s | %s (`joined`) | — | — |%n%n", spread(bares, "member_added_ms"),
        spread(bares, "joined_line_ms")));
    md.append("Each run, gateway lists the edge node online (s): ").append(values(edges, "gateway_online_ms"))
        .append("; bare member joined (s): ").append(values(bares, "joined_line_ms")).append(".\n");
    md.append(f("The bench member itself (launched by the script, the same code as the bare member plus the measuring): "
        + "%.2f s from launch to joined, %.2f s of it after the JVM had started, %.2f s creating the cluster manager and in "
        + "`buildClustered()`; %d members in the cluster when it joined.%n%n",
        bench.getLong("launch_to_joined_ms") / 1000.0, bench.getLong("jvm_start_to_joined_ms") / 1000.0,
        bench.getLong("join_call_ms") / 1000.0, bench.getInteger("members_at_join")));
  }

  private static List<Double> seconds(JsonArray samples, String key) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      values.add(samples.getJsonObject(i).getDouble(key) / 1000);
    }
    return values;
  }

  private static String spread(JsonArray samples, String key) {
    List<Double> sorted = seconds(samples, key).stream().sorted().toList();
    if (sorted.isEmpty()) {
      return "—";
    }
    return f("%.2f / %.2f / %.2f", sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
  }

  private static String values(JsonArray samples, String key) {
    return seconds(samples, key).stream().map(v -> f("%.2f", v)).collect(Collectors.joining(", "));
  }

  private static void loss(StringBuilder md, JsonObject settings, JsonObject loss) {
    JsonArray runs = loss.getJsonArray("runs");
    md.append("#### 3. Node loss\n\n");
    md.append(f("Configured: `cluster.failure_timeout_ms` = %d, `cluster.heartbeat_interval_ms` = %d, `nodes.offline_after_ms` = %d, "
        + "`node.heartbeat_interval_ms` = %d. Each edge node ran 2 s plus a random part of a heartbeat period after the gateway "
        + "listed it online, then got SIGKILL (`kill -9`: the kernel closes its sockets) or SIGSTOP (frozen with its sockets "
        + "open, as a node that lost power or network looks to its peers). Times in seconds after the signal; the gateway was "
        + "polled every %d ms. Machine busy: %.2f cores.%n%n", settings.getLong("failure_timeout_ms"),
        settings.getLong("cluster_heartbeat_ms"), settings.getLong("offline_after_ms"), settings.getLong("node_heartbeat_ms"),
        GatewayNodes.POLL_MS, loss.getDouble("machine_busy_cores")));
    md.append("| run | signal | its last heartbeat arrived | Hazelcast removed the member (bench member's listener) | "
        + "gateway lists it `online: false` | … counted from its last heartbeat |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.getJsonObject(i);
      md.append(f("| %d | %s | %.2f before | %.2f | %.2f | %.2f |%n", i + 1, run.getString("signal"),
          run.getDouble("last_heartbeat_before_ms") / 1000, run.getDouble("member_removed_ms") / 1000,
          run.getDouble("gateway_offline_ms") / 1000, run.getDouble("gateway_offline_after_last_heartbeat_ms") / 1000));
    }
    md.append('\n');
  }

  private static void memory(StringBuilder md, JsonArray sets, String jvmFlags) {
    md.append("#### 4. Memory (VmRSS)\n\n");
    JsonObject first = sets.getJsonObject(0);
    md.append(f("An edge node and a bare member started together with the same JVM flags, joined, left alone for %d s, then VmRSS "
        + "sampled %d times 1 s apart: median (min–max), and VmHWM (peak) at the end, MiB.%n%n", first.getInteger("settle_s"),
        first.getInteger("samples")));
    md.append("| process | JVM flags | RSS | VmHWM |\n");
    md.append("|---|---|---:|---:|\n");
    for (int k = 0; k < sets.size(); k++) {
      JsonObject set = sets.getJsonObject(k);
      String flags = "`" + set.getString("jvm_flags").replaceAll(" --add-.*", "") + "` + Hazelcast flags";
      md.append(rssRow("edge-node jar, idle (no bots)", flags, set.getJsonObject("edge")));
      md.append(rssRow("bare member (clustered Vert.x, lite)", flags, set.getJsonObject("bare")));
      md.append(f("| difference, edge node − bare member | | %.0f | |%n", mib(set.getJsonObject("edge").getLong("median_kb")
          - set.getJsonObject("bare").getLong("median_kb"))));
      if (set.containsKey("gateway")) {
        md.append(rssRow("gateway (data member, file store; after the whole run)", "`" + jvmFlags + "`", set.getJsonObject("gateway")));
        md.append(rssRow("edge node `bench-edge` after the request/reply phase", flags, set.getJsonObject("primary_edge")));
        md.append(rssRow("bench member (the measuring JVM)", "`" + jvmFlags + "` + Hazelcast flags", set.getJsonObject("bench_member")));
      }
    }
    md.append('\n');
  }

  private static double mib(long kb) {
    return kb / 1024.0;
  }

  private static String rssRow(String name, String flags, JsonObject rss) {
    return f("| %s | %s | %.0f (%.0f–%.0f) | %.0f |%n", name, flags, mib(rss.getLong("median_kb")), mib(rss.getLong("min_kb")),
        mib(rss.getLong("max_kb")), mib(rss.getLong("hwm_kb")));
  }
}
