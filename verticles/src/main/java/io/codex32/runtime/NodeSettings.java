package io.codex32.runtime;

import io.codex32.config.ExecutorConfig;
import io.codex32.config.NodeConfig;
import io.codex32.executor.settings.ExecutorSettings;
import io.codex32.gpio.GpioConfig;
import io.codex32.microphone.MicrophoneConfig;
import io.codex32.voice.VoiceConfig;
import java.nio.file.Path;

/**
 * What a node's executor, GPIO, voice, microphone and heartbeat need. {@code apiUrl}/{@code mqttUrl}: where the node's bots
 * reach a gateway (their CODEX32_API_URL / CODEX32_MQTT_URL); bot directories are under {@code dataDir}.
 */
public record NodeSettings(NodeConfig node, Path dataDir, ExecutorConfig executor, String apiUrl, String mqttUrl, GpioConfig gpio,
    VoiceConfig voice, MicrophoneConfig microphone) {

  public ExecutorSettings executorSettings() {
    return new ExecutorSettings(node.id(), dataDir, executor.allowedCommands(), ExecutorSettings.DEFAULT_SEARCH_PATH, apiUrl, mqttUrl,
        executor.sampleIntervalMs(), executor.adoptRunning(), executor.cgroups());
  }
}
