// Recording one spoken utterance from the microphone as 16 kHz mono s16le PCM chunks, through the
// AudioWorklet in pcm-worklet.js. The microphone is released after every utterance.

const WORKLET = '/js/pcm-worklet.js';
const CHUNK_SAMPLES = 4096;
export const RATE = 16000;

/** Why recording cannot work in this browser at all (null when it may), in words. */
export function unsupportedReason() {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return 'The browser offers the microphone only to pages opened over https or on localhost. '
      + 'Typing works everywhere.';
  }
  if (typeof AudioWorkletNode === 'undefined') {
    return 'This browser cannot record audio for the page (no AudioWorklet). Typing works.';
  }
  return null;
}

/** A getUserMedia or audio failure, in words a person can act on. */
export function explain(error) {
  const name = error && error.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The microphone is blocked for this page. Allow it in the browser\'s site settings and try again; typing works meanwhile.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return 'No microphone was found. Connect one and try again; typing works meanwhile.';
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return 'The microphone could not be opened (another program may be using it). Typing works meanwhile.';
  }
  return `Recording failed: ${(error && error.message) || error}. Typing works meanwhile.`;
}

/**
 * One utterance: start() asks for the microphone and calls onChunk(ArrayBuffer) for every chunk of
 * PCM, at most maxSamples in all; stop() delivers what is left and releases the microphone.
 */
export class Recorder {
  constructor(onChunk, maxSamples) {
    this.onChunk = onChunk;
    this.left = maxSamples;
    this.stream = null;
    this.context = null;
    this.node = null;
    this.flushed = null;
  }

  async start() {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({audio: true});
      this.context = new AudioContext();
      await this.context.audioWorklet.addModule(WORKLET);
      if (this.context.state === 'suspended') {
        await this.context.resume();
      }
      const source = this.context.createMediaStreamSource(this.stream);
      this.node = new AudioWorkletNode(this.context, 'codex32-pcm', {processorOptions: {chunk: CHUNK_SAMPLES}});
      this.flushed = new Promise(resolve => {
        this.node.port.onmessage = event => {
          if (event.data.type === 'pcm') {
            this.deliver(event.data.buffer);
          } else if (event.data.type === 'flushed') {
            resolve();
          }
        };
      });
      source.connect(this.node);
    } catch (error) {
      this.release();
      throw error;
    }
  }

  deliver(buffer) {
    if (this.left <= 0) {
      return;
    }
    const samples = buffer.byteLength / 2;
    const kept = samples <= this.left ? buffer : buffer.slice(0, this.left * 2);
    this.left -= kept.byteLength / 2;
    this.onChunk(kept);
  }

  /** Whether the sample budget is used up. */
  get full() {
    return this.left <= 0;
  }

  /** Delivers the last chunk and releases the microphone; resolves when the last chunk was delivered. */
  async stop() {
    if (this.node) {
      this.node.port.postMessage({type: 'flush'});
      // The audio thread answers within a render quantum; do not hang on a context that stopped.
      await Promise.race([this.flushed, new Promise(resolve => setTimeout(resolve, 500))]);
    }
    this.release();
  }

  /** Releases the microphone without delivering anything more. */
  release() {
    this.onChunk = () => {};
    if (this.stream) {
      this.stream.getTracks().forEach(track => track.stop());
      this.stream = null;
    }
    if (this.node) {
      this.node.port.onmessage = null;
      this.node.disconnect();
      this.node = null;
    }
    if (this.context) {
      this.context.close().catch(() => {});
      this.context = null;
    }
  }
}
