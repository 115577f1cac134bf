package io.codex32.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.microphone.MicrophoneConfig;
import io.codex32.voice.VoiceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Defaults in the jar, then {@code --conf FILE}, then {@code CODEX32_*} variables; bad values name their key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayConfigTest {

  @TempDir
  Path dir;

  @Test
  void defaultsLoadFromTheJar() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of());

    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().maxBodyBytes()).isEqualTo(1_048_576);
    assertThat(config.http().instances()).isZero();
    assertThat(config.http().effectiveInstances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.mqttPort()).isEqualTo(1883);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.store()).isEqualTo(StoreKind.FILE);
    assertThat(config.pg()).isEqualTo(new PgConfig(null, 8, 5000, 5000));
    assertThat(config.redis()).isEqualTo(new RedisConfig(null, "codex32:"));
    assertThat(config.redis().enabled()).isFalse();
    assertThat(config.cluster()).isEqualTo(new ClusterConfig(false, List.of(), null, "", 5701, 0, 1000, 5000, null, null, null));
    assertThat(config.nodeId()).isEqualTo("local");
    assertThat(config.adminPassword()).isNull();
    assertThat(config.executor().allowedCommands()).isEmpty();
    assertThat(config.auth()).isEqualTo(new AuthConfig(900, 604_800, null, null, 11, 5, 300));
  }

  @Test
  void voiceDefaultsEnvironmentAndBadValues() {
    VoiceConfig defaults = GatewayConfig.load(List.of(), Map.of()).voice();
    assertThat(defaults).isEqualTo(new VoiceConfig(VoiceConfig.Engine.AUTO, null, 15, "pocketsphinx_continuous"));
    assertThat(EdgeNodeConfig.load(List.of(), Map.of()).voice()).isEqualTo(defaults);

    VoiceConfig set = GatewayConfig.load(List.of(), Map.of("CODEX32_VOICE_ENGINE", "vosk", "CODEX32_VOICE_VOSK_MODEL", "/opt/vosk-model",
        "CODEX32_VOICE_MAX_SECONDS", "30", "CODEX32_VOICE_POCKETSPHINX_COMMAND", "/opt/ps/bin/pocketsphinx_continuous")).voice();
    assertThat(set).isEqualTo(new VoiceConfig(VoiceConfig.Engine.VOSK, Path.of("/opt/vosk-model"), 30,
        "/opt/ps/bin/pocketsphinx_continuous"));

    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_VOICE_ENGINE", "whisper")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("voice.engine");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_VOICE_MAX_SECONDS", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("voice.max_seconds");
  }

  @Test
  void microphoneDefaultsAndItsPushToTalkPinMustBeADeclaredInput() {
    MicrophoneConfig defaults = GatewayConfig.load(List.of(), Map.of()).microphone();
    assertThat(defaults).isEqualTo(MicrophoneConfig.disabled());
    assertThat(EdgeNodeConfig.load(List.of(), Map.of()).microphone()).isEqualTo(defaults);

    String pins = "[{\"name\": \"ptt\", \"bcm\": 27, \"mode\": \"input\", \"pull\": \"up\", \"active_low\": true},"
        + " {\"name\": \"relay\", \"bcm\": 17, \"mode\": \"output\"}]";
    Map<String, String> on = Map.of("CODEX32_GPIO_ENABLED", "true", "CODEX32_GPIO_PINS", pins, "CODEX32_VOICE_MICROPHONE_ENABLED", "true",
        "CODEX32_VOICE_MICROPHONE_USER", "pi-voice", "CODEX32_VOICE_MICROPHONE_DEVICE", "plughw:CARD=Device,DEV=0",
        "CODEX32_VOICE_MICROPHONE_PUSH_TO_TALK_PIN", "ptt", "CODEX32_VOICE_MICROPHONE_ALSA_CONFIG", "/etc/codex32/asound.conf");
    MicrophoneConfig set = EdgeNodeConfig.load(List.of(), on).microphone();
    assertThat(set).isEqualTo(new MicrophoneConfig(true, "plughw:CARD=Device,DEV=0", "arecord", "ptt", "pi-voice",
        Path.of("/etc/codex32/asound.conf"), false));

    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), with(on, "CODEX32_VOICE_MICROPHONE_PUSH_TO_TALK_PIN", "relay")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("voice.microphone.push_to_talk_pin").hasMessageContaining("input");
    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), with(on, "CODEX32_VOICE_MICROPHONE_PUSH_TO_TALK_PIN", "door")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not declared");
    assertThatThrownBy(() -> EdgeNodeConfig.load(List.of(), with(on, "CODEX32_GPIO_ENABLED", "false")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("gpio.enabled");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_VOICE_MICROPHONE_ENABLED", "true")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("voice.microphone.user");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_VOICE_MICROPHONE_DEVICE", "hw:0; rm -rf /")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("voice.microphone.device");
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> copy = new HashMap<>(base);
    copy.put(key, value);
    return copy;
  }

  @Test
  void confFileOverridesDefaultsAndKeepsTheRest() throws IOException {
    Path file = write("{\"http\": {\"port\": 9090}, \"data_dir\": \"/var/lib/codex32\", \"auth\": {\"bcrypt_cost\": 12}}");

    GatewayConfig config = GatewayConfig.load(List.of("--conf", file.toString()), Map.of());

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/codex32"));
    assertThat(config.auth().bcryptCost()).isEqualTo(12);
    assertThat(config.auth().accessTokenTtlSeconds()).isEqualTo(900);
  }

  @Test
  void confFileMayBeGivenWithEqualsSign() throws IOException {
    Path file = write("{\"mqtt\": {\"port\": 1884}}");

    GatewayConfig config = GatewayConfig.load(List.of("--conf=" + file), Map.of());

    assertThat(config.mqttPort()).isEqualTo(1884);
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path file = write("{\"http\": {\"port\": 9090}, \"node\": {\"id\": \"from-file\"}}");

    GatewayConfig config = GatewayConfig.load(List.of("--conf", file.toString()),
        Map.of("CODEX32_HTTP_PORT", "9191", "CODEX32_NODE_ID", "from-env"));

    assertThat(config.http().port()).isEqualTo(9191);
    assertThat(config.nodeId()).isEqualTo("from-env");
  }

  @Test
  void everyKindOfValueCanComeFromTheEnvironment() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of(
        "CODEX32_DATA_DIR", "/srv/codex32",
        "CODEX32_MQTT_PORT", "2883",
        "CODEX32_ADMIN_PASSWORD", "correct horse",
        "CODEX32_AUTH_ACCESS_TOKEN_TTL_S", "60",
        "CODEX32_CLUSTER_ENABLED", "false",
        "CODEX32_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
        "CODEX32_HTTP_MAX_BODY_BYTES", "4096"));

    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/codex32"));
    assertThat(config.mqttPort()).isEqualTo(2883);
    assertThat(config.adminPassword()).isEqualTo("correct horse");
    assertThat(config.auth().accessTokenTtlSeconds()).isEqualTo(60);
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(config.http().maxBodyBytes()).isEqualTo(4096);
  }

  @Test
  void environmentVariableNamesArePrefixedUpperCaseWithUnderscores() {
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("CODEX32_HTTP_PORT");
    assertThat(ConfigLoader.envName("data_dir")).isEqualTo("CODEX32_DATA_DIR");
    assertThat(ConfigLoader.envName("executor.allowed_commands")).isEqualTo("CODEX32_EXECUTOR_ALLOWED_COMMANDS");
  }

  @Test
  void environmentVariablesThatNameNoKeyAreIgnored() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_HTTP_PROT", "1", "CODEX32_LOG_LEVEL", "DEBUG"));

    assertThat(config.http().port()).isEqualTo(8080);
  }

  @Test
  void unknownKeyInFileIsNamed() throws IOException {
    Path file = write("{\"http\": {\"prot\": 9090}}");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.prot: unknown configuration key");
  }

  @Test
  void unknownTopLevelKeyInFileIsNamed() throws IOException {
    Path file = write("{\"datadir\": \"/tmp\"}");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("datadir: unknown configuration key");
  }

  @Test
  void sectionGivenAsPlainValueIsRefused() throws IOException {
    Path file = write("{\"http\": 8080}");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http: must be an object");
  }

  @Test
  void nonNumericPortFromEnvironmentNamesKeyAndVariable() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_HTTP_PORT", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port (CODEX32_HTTP_PORT): ")
        .hasMessageContaining("must be a whole number, got 'abc'");
  }

  @Test
  void nonNumericPortInFileNamesKey() throws IOException {
    Path file = write("{\"http\": {\"port\": \"abc\"}}");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port: must be a whole number, got 'abc'");
  }

  @Test
  void fractionalPortIsRefused() throws IOException {
    Path file = write("{\"http\": {\"port\": 8080.5}}");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: must be a whole number");
  }

  @Test
  void portOutOfRangeNamesKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port: must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_PORT", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("mqtt.port: must be between 0 and 65535, got -1");
  }

  @Test
  void mqttSessionSettingsHaveDefaultsAndRefuseNonsense() {
    GatewayConfig defaults = GatewayConfig.load(List.of(), Map.of());
    assertThat(defaults.mqtt().commandRetryMs()).isEqualTo(10_000);
    assertThat(defaults.mqtt().maxSessionExpirySeconds()).isEqualTo(604_800);
    assertThat(GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_COMMAND_RETRY_MS", "0")).mqtt().commandRetryMs()).isZero();
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_COMMAND_RETRY_MS", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("mqtt.command_retry_ms: must be 0 (no re-send) or between 100 and 3600000, got 5");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_MQTT_MAX_SESSION_EXPIRY_S", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("mqtt.max_session_expiry_s: must be between 0 and 31536000, got -1");
  }

  @Test
  void portZeroMeansAnyFreePortAndIsAllowed() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_HTTP_PORT", "0", "CODEX32_MQTT_PORT", "0",
        "CODEX32_CLUSTER_PORT", "0"));

    assertThat(config.http().port()).isZero();
    assertThat(config.mqttPort()).isZero();
    assertThat(config.cluster().port()).isZero();
  }

  @Test
  void badBooleanNamesKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_ENABLED", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cluster.enabled (CODEX32_CLUSTER_ENABLED): must be true or false, got 'yes'");
  }

  @Test
  void numberBelowMinimumNamesKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_AUTH_BCRYPT_COST", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("auth.bcrypt_cost: must be between 4 and 16, got 3");
  }

  @Test
  void unknownArgumentIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of("--port", "8080"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--port: unknown argument (usage: [--conf FILE])");
  }

  @Test
  void confWithoutFileNameIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--conf: expects a file name");
  }

  @Test
  void missingConfFileIsNamed() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", missing.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--conf " + missing + ": file not found");
  }

  @Test
  void confFileThatIsNotJsonIsNamed() throws IOException {
    Path file = write("http.port = 8080\n");

    assertThatThrownBy(() -> GatewayConfig.load(List.of("--conf", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--conf " + file + ": not a JSON object");
  }

  @Test
  void allowedCommandsAreACommaSeparatedList() {
    GatewayConfig config = GatewayConfig.load(List.of(),
        Map.of("CODEX32_EXECUTOR_ALLOWED_COMMANDS", " python3, /usr/bin/node ,,bash "));

    assertThat(config.executor().allowedCommands()).containsExactly("python3", "/usr/bin/node", "bash");
  }

  @Test
  void blankAllowedCommandsMeanAnEmptyList() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_EXECUTOR_ALLOWED_COMMANDS", "  "));

    assertThat(config.executor().allowedCommands()).isEmpty();
  }

  @Test
  void emptyDataDirIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_DATA_DIR", " ")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("data_dir: must not be empty");
  }

  @Test
  void nodeIdMustBeASlug() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_NODE_ID", "Pi_1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("node.id: must match");
  }

  @Test
  void unknownStoreKindIsNamed() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_STORE", "mysql")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store: must be 'file' or 'postgres', got 'mysql'");
  }

  @Test
  void postgresStoreTakesItsUrlAndBounds() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_STORE", "postgres",
        "CODEX32_PG_URL", "postgresql://codex:s3cret@db.example:5433/codex32", "CODEX32_PG_POOL_SIZE", "4",
        "CODEX32_PG_CONNECT_TIMEOUT_MS", "2000", "CODEX32_PG_QUERY_TIMEOUT_MS", "3000"));

    assertThat(config.store()).isEqualTo(StoreKind.POSTGRES);
    assertThat(config.pg()).isEqualTo(new PgConfig("postgresql://codex:s3cret@db.example:5433/codex32", 4, 2000, 3000));
    assertThat(config.pg().redactedUrl()).isEqualTo("postgresql://codex:***@db.example:5433/codex32");
  }

  @Test
  void postgresStoreNeedsAUsablePgUrl() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_STORE", "postgres")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("pg.url: must be set when store is 'postgres'");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_STORE", "postgres", "CODEX32_PG_URL", "mysql://h/db")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("pg.url: must start with postgresql://, got 'mysql://'");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_STORE", "postgres", "CODEX32_PG_URL", "postgresql://h:5432")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("pg.url: must name a host and a database");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_PG_QUERY_TIMEOUT_MS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("pg.query_timeout_ms: must be between 100 and 600000, got 0");
  }

  void redisUrlAndKeyPrefixAreTaken() {
    GatewayConfig config = GatewayConfig.load(List.of(), Map.of("CODEX32_REDIS_URL", "redis://:s3cret@cache.example:6380/2",
        "CODEX32_REDIS_KEY_PREFIX", "staging:"));

    assertThat(config.redis().enabled()).isTrue();
    assertThat(config.redis().url()).isEqualTo("redis://:s3cret@cache.example:6380/2");
    assertThat(config.redis().keyPrefix()).isEqualTo("staging:");
    assertThat(config.redis().endpoint()).isEqualTo("cache.example:6380");
    assertThat(GatewayConfig.load(List.of(), Map.of("CODEX32_REDIS_URL", "rediss://cache.example")).redis().endpoint())
        .isEqualTo("cache.example:6379");
  }

  @Test
  void badRedisSettingsAreNamedWithoutRepeatingThePassword() {
    for (String url : List.of("http://:s3cret@cache.example:6379", "redis://:s3cret@:6379", "redis://:s3cret@cache.example:6379/zero",
        "redis://:s3cret@cache.example:99999/0", "redis://:s3cret@cache.example:6379/0?timeout=1", "redis://:s3cret@cache example")) {
      assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_REDIS_URL", url)))
          .as(url)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("redis.url: ")
          .hasMessageNotContaining("s3cret");
    }
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_REDIS_KEY_PREFIX", "has space")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("redis.key_prefix: ");
  }

  @Test
  void aClusterNeedsSeedsAndCoherentTimingAndTls() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_ENABLED", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.members: ");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_HEARTBEAT_INTERVAL_MS", "3000",
        "CODEX32_CLUSTER_FAILURE_TIMEOUT_MS", "5000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.failure_timeout_ms: ");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_TLS_CERT", "/etc/codex32/bus.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.tls.key: ");
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_MEMBERS", "10.0.0.1:5701;rm -rf")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.members: ");
    GatewayConfig clustered = GatewayConfig.load(List.of(), Map.of("CODEX32_CLUSTER_ENABLED", "true", "CODEX32_CLUSTER_MEMBERS",
        "10.0.0.1, 10.0.0.2:5702", "CODEX32_CLUSTER_HOST", "10.0.0.1"));
    assertThat(clustered.cluster().enabled()).isTrue();
    assertThat(clustered.cluster().host()).isEqualTo("10.0.0.1");
    assertThat(clustered.cluster().failureTimeoutMs()).isEqualTo(5000);
  }

  @Test
  void shortAdminPasswordIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_ADMIN_PASSWORD", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.password: must be at least 8 characters");
  }

  @Test
  void jwtPrivateKeyNeedsItsPublicKey() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_AUTH_JWT_PRIVATE_KEY", "/etc/codex32/jwt.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.jwt_public_key: ");
  }

  @Test
  void gatewayNeedsItsPrivateKeyWhenAPublicKeyIsGiven() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_AUTH_JWT_PUBLIC_KEY", "/etc/codex32/jwt.pub")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.jwt_private_key: ");
  }

  @Test
  void adminPasswordLongerThanBcryptAcceptsIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(List.of(), Map.of("CODEX32_ADMIN_PASSWORD", "é".repeat(37))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.password: must be at most 72 bytes (bcrypt's limit)");
  }

  private Path write(String json) throws IOException {
    Path file = Files.createTempFile(dir, "gateway", ".json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }
}
