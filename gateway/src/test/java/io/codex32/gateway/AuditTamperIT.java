package io.codex32.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Someone with write access to the data directory edits an audit record and fixes up the journal
 * line's checksum so the store accepts it: the hash chain must still give the edit away.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuditTamperIT {

  @RegisterExtension
  final GatewayProcesses gateways = new GatewayProcesses();

  @Test
  void editingOneAuditRecordOnDiskIsReportedAtItsSeqWhileAnUntouchedCopyVerifiesIntact() throws IOException {
    Path data = gateways.dataDir();
    GatewayProcess gateway = gateways.start("audit-original", data);
    ApiClient api = gateway.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    // placed on a node without an executor: start and stop only change the desired state
    JsonObject bot = new JsonObject().put("id", "audited").put("command", new JsonArray().add("sleep").add("60"))
        .put("placement", new JsonObject().put("node", "edge-1"));
    assertThat(api.post("/api/v1/bots", bot).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/bots/audited/start", null).status()).isEqualTo(202);
    assertThat(api.post("/api/v1/bots/audited/stop", null).status()).isEqualTo(202);
    assertThat(gateway.api().attemptLogin("admin", "not-the-password").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/audit/verify").json().getBoolean("intact")).as("chain before tampering").isTrue();
    assertThat(gateway.stop()).isEqualTo(GatewayProcess.EXIT_SIGTERM);

    Path untouched = gateways.tmp().resolve("untouched");
    copyTree(data, untouched);
    long tamperedSeq = rewriteActorOfAuditRecord(data.resolve("store").resolve("journal"), "startBot", "mallory");

    GatewayProcess tampered = gateways.start("audit-tampered", data);
    ApiClient tamperedApi = tampered.api().login("admin", GatewayProcess.ADMIN_PASSWORD);
    JsonArray edited = tamperedApi.get("/api/v1/audit?actor=mallory").json().getJsonArray("items");
    assertThat(edited).as("the store accepted the edited line (its checksum was fixed up)").hasSize(1);
    assertThat(edited.getJsonObject(0).getLong("seq")).isEqualTo(tamperedSeq);
    JsonObject verify = tamperedApi.get("/api/v1/audit/verify").json();
    assertThat(verify.getBoolean("intact")).as("verify after tampering: %s", verify).isFalse();
    assertThat(verify.getLong("first_broken_seq")).as("verify after tampering: %s", verify).isEqualTo(tamperedSeq);
    assertThat(tampered.stop()).isEqualTo(GatewayProcess.EXIT_SIGTERM);

    GatewayProcess copy = gateways.start("audit-untouched-copy", untouched);
    JsonObject copyVerify = copy.api().login("admin", GatewayProcess.ADMIN_PASSWORD).get("/api/v1/audit/verify").json();
    assertThat(copyVerify.getBoolean("intact")).as("verify of the untouched copy: %s", copyVerify).isTrue();
    assertThat(copyVerify.getInteger("records")).as("login, create, start, stop, failed login, then this copy's login")
        .isEqualTo(6);
  }

  /**
   * Replaces the actor of the one audit record whose action is {@code action} and recomputes the
   * line's checksum the way the store does ({@code <crc32c of the JSON's UTF-8 bytes, 8 lowercase
   * hex digits> <json>\n}). Returns the record's seq.
   */
  private static long rewriteActorOfAuditRecord(Path journal, String action, String newActor) throws IOException {
    String[] lines = Files.readString(journal, StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines[lines.length - 1]).as("journal ends with a newline").isEmpty();
    List<Integer> matches = IntStream.range(0, lines.length - 1)
        .filter(i -> isAuditRecordOf(lines[i], action))
        .boxed()
        .toList();
    assertThat(matches).as("journal lines of %s audit records", action).hasSize(1);
    int index = matches.get(0);
    String json = lines[index].substring(9);
    assertThat(lines[index].substring(0, 8)).as("checksum as the store writes it").isEqualTo(crc32cHex(json));
    JsonObject doc = new JsonObject(json).getJsonObject("doc");
    String oldField = "\"actor\":\"" + doc.getString("actor") + "\"";
    assertThat(json.indexOf(oldField)).as("%s occurs once in %s", oldField, json).isNotNegative().isEqualTo(json.lastIndexOf(oldField));
    String editedJson = json.replace(oldField, "\"actor\":\"" + newActor + "\"");
    lines[index] = crc32cHex(editedJson) + " " + editedJson;
    Files.writeString(journal, String.join("\n", lines), StandardCharsets.UTF_8);
    return doc.getLong("seq");
  }

  private static boolean isAuditRecordOf(String line, String action) {
    JsonObject record = new JsonObject(line.substring(9));
    return "audit".equals(record.getString("c")) && action.equals(record.getJsonObject("doc").getString("action"));
  }

  private static String crc32cHex(String json) {
    CRC32C crc = new CRC32C();
    crc.update(json.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(source -> {
        try {
          Files.copy(source, to.resolve(from.relativize(source).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
