package io.codex32.voice;

import io.codex32.bus.VoiceReply;
import io.codex32.bus.VoiceRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One open speech-to-text session on a node ({@link VoiceClient#open}). Chunks are numbered here,
 * in the order {@link #audio} is called; {@link #finish()} or {@link #cancel()} ends it and stops
 * the partial text.
 */
public final class VoiceSession {

  private final VoiceClient client;
  private final String nodeId;
  private final String id;
  private final MessageConsumer<Object> partials;
  private long nextSeq;

  VoiceSession(VoiceClient client, String nodeId, String id, MessageConsumer<Object> partials) {
    this.client = client;
    this.nodeId = nodeId;
    this.id = id;
    this.partials = partials;
  }

  public String id() {
    return id;
  }

  /** Sends the next chunk of 16 kHz mono s16le PCM; completes when the node's engine took it. */
  public Future<Void> audio(Buffer pcm) {
    return client.send(nodeId, new VoiceRequest.Audio(id, nextSeq++, pcm.getBytes()), VoiceClient.REQUEST_TIMEOUT_MS).mapEmpty();
  }

  /** No more audio: the transcript. */
  public Future<VoiceReply.Transcript> finish() {
    return client.send(nodeId, new VoiceRequest.Finish(id), VoiceClient.FINISH_TIMEOUT_MS)
        .map(reply -> (VoiceReply.Transcript) reply)
        .andThen(done -> partials.unregister());
  }

  /** Drops the session on the node, without waiting for its answer. */
  public void cancel() {
    partials.unregister();
    client.send(nodeId, new VoiceRequest.Cancel(id), VoiceClient.REQUEST_TIMEOUT_MS);
  }
}
