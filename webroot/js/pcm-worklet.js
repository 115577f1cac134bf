// AudioWorklet processor (loaded with audioWorklet.addModule, runs on the audio thread): the
// microphone's channels mixed down to mono, resampled from the context's rate to 16 kHz and turned
// into signed 16-bit samples, posted to the main thread in chunks. {type: 'flush'} posts what is
// left, then {type: 'flushed'}, so the last words of an utterance are not lost.

const TARGET_RATE = 16000;

class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const chunk = options && options.processorOptions && options.processorOptions.chunk;
    this.chunk = Number.isInteger(chunk) && chunk > 0 ? chunk : 4096;
    // Input samples per output sample: 3 at 48 kHz, 2.75625 at 44.1 kHz.
    this.step = sampleRate / TARGET_RATE;
    this.out = new Int16Array(this.chunk);
    this.filled = 0;
    // Downsampling averages the input samples that fall into each output sample (a box filter, enough
    // against aliasing for speech); upsampling interpolates between neighbours.
    this.sum = 0;
    this.count = 0;
    this.until = this.step;
    this.position = 0;
    this.previous = 0;
    this.stopped = false;
    this.port.onmessage = event => {
      if (event.data && event.data.type === 'flush') {
        this.post();
        this.port.postMessage({type: 'flushed'});
        this.stopped = true;
      }
    };
  }

  process(inputs) {
    if (this.stopped) {
      return false;
    }
    const channels = inputs[0];
    if (!channels || channels.length === 0) {
      return true;
    }
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let mono = 0;
      for (let c = 0; c < channels.length; c++) {
        mono += channels[c][i];
      }
      mono /= channels.length;
      if (this.step >= 1) {
        this.down(mono);
      } else {
        this.up(mono);
      }
    }
    return true;
  }

  down(sample) {
    this.sum += sample;
    this.count += 1;
    this.position += 1;
    if (this.position >= this.until) {
      this.emit(this.sum / this.count);
      this.sum = 0;
      this.count = 0;
      this.until += this.step;
    }
  }

  up(sample) {
    // Output samples lying between the previous input sample (at position - 1) and this one.
    while (this.until <= this.position + 1) {
      const t = this.until - this.position;
      this.emit(this.previous + (sample - this.previous) * t);
      this.until += this.step;
    }
    this.position += 1;
    this.previous = sample;
  }

  emit(value) {
    const clipped = Math.max(-1, Math.min(1, value));
    this.out[this.filled++] = clipped < 0 ? Math.round(clipped * 0x8000) : Math.round(clipped * 0x7fff);
    if (this.filled === this.chunk) {
      this.post();
    }
  }

  post() {
    if (this.filled === 0) {
      return;
    }
    const samples = this.out.slice(0, this.filled);
    this.port.postMessage({type: 'pcm', buffer: samples.buffer}, [samples.buffer]);
    this.filled = 0;
  }
}

registerProcessor('codex32-pcm', PcmCapture);
