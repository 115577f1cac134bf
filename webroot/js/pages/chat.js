// Chat: say what you want in words, typed or spoken ("start the weather station"), over
// /ws/command/<user>. The gateway answers as the signed-in user, with that role's permissions: a
// refusal is its reply like any other, so nothing here is hidden by role.

import * as chat from '../chat-client.js';
import * as voice from '../voice.js';
import {h, replace} from '../dom.js';
import {button, pageHeader} from '../ui.js';

/** The gateway's default voice.max_seconds: longer audio is refused, so recording stops by itself. */
const MAX_SECONDS = 15;
/** A press shorter than this starts recording until the next press; a longer one records while held. */
const HOLD_MS = 400;
/** Error codes after which the server has no utterance open. */
const ENDS_UTTERANCE = new Set(['voice_unavailable', 'node_unavailable', 'unavailable', 'audio_too_long', 'bad_audio',
  'no_audio_session', 'bad_sample_rate']);
const STATE_WORDS = {
  connecting: 'Connecting…',
  live: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Not connected',
};

export function render(main, params, scope) {
  const log = h('ol', {class: 'chat-log', id: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation'});
  const input = h('input', {type: 'text', id: 'chat-input', name: 'text', maxlength: 500, autocomplete: 'off',
    placeholder: 'e.g. start the weather station', 'aria-label': 'Message'});
  const send = h('button', {type: 'submit', class: 'btn btn-primary', id: 'chat-send'}, 'Send');
  const talk = h('button', {type: 'button', class: 'btn chat-talk', id: 'chat-talk', 'aria-pressed': 'false',
    'aria-describedby': 'chat-voice-status', dataset: {state: 'idle'}}, 'Hold to talk');
  const voiceStatus = h('p', {class: 'hint chat-voice-status', id: 'chat-voice-status', 'aria-live': 'polite'},
    'Hold the button (or Space on it) while speaking, or press it once to start and again to stop.');
  const connection = h('span', {class: 'connection', id: 'chat-state', role: 'status'});
  const form = h('form', {class: 'chat-form', id: 'chat-form', novalidate: true}, input, send, talk);

  main.append(
    pageHeader('Chat', button('What can I say?', () => submit('help'), {id: 'chat-help'})),
    h('p', {class: 'summary'}, 'Type or say what you want done; the gateway does it with your role\'s permissions. ',
      connection),
    h('section', {class: 'card chat'}, log, form, voiceStatus));

  const nodes = new Map();
  const draw = (entry, added) => {
    const existing = nodes.get(entry.id);
    if (entry.removed) {
      if (existing) {
        existing.remove();
        nodes.delete(entry.id);
      }
      return;
    }
    const li = entryNode(entry, submit, fill);
    if (existing) {
      existing.replaceWith(li);
    } else {
      // Only the latest reply's question can be answered with its buttons.
      if (added) {
        log.querySelectorAll('.chat-awaiting').forEach(el => el.remove());
      }
      log.append(li);
    }
    nodes.set(entry.id, li);
    log.scrollTop = log.scrollHeight;
  };
  chat.transcript().forEach(entry => draw(entry, false));
  // The stale question buttons of earlier replies go; the last entry keeps its own.
  const last = log.lastElementChild;
  log.querySelectorAll('.chat-awaiting').forEach(el => !(last && last.contains(el)) && el.remove());
  scope.add(chat.onEntry(draw));
  chat.start();
  if (chat.transcript().length === 0) {
    chat.note('Try “list bots”, “start the weather station” or “what can I say”.');
  }

  const showState = ({state}) => {
    connection.className = `connection connection-${state}`;
    connection.dataset.state = state;
    connection.textContent = STATE_WORDS[state];
    send.disabled = state !== 'live';
    talk.disabled = state !== 'live' || voiceOff !== null;
    if (state !== 'live' && recorder) {
      recorder.cancel('The connection was lost; the recording was dropped.');
    }
  };

  function submit(text) {
    const said = text.trim();
    if (!said) {
      return;
    }
    if (!chat.say(said)) {
      chat.note('Not connected: the page reconnects by itself; send again then.', 'bad');
    }
  }

  function fill(text) {
    input.value = text;
    input.focus();
    const start = text.indexOf('<');
    const end = text.indexOf('>', start);
    if (start >= 0 && end > start) {
      input.setSelectionRange(start, end + 1);
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    if (input.value.trim() && chat.isLive()) {
      submit(input.value);
      input.value = '';
    }
    input.focus();
  });

  let voiceOff = voice.unsupportedReason();
  const recorder = new PushToTalk(talk, voiceStatus, () => voiceOff, reason => {
    voiceOff = reason;
    talk.disabled = true;
  });
  if (voiceOff) {
    voiceStatus.textContent = voiceOff;
    voiceStatus.classList.add('tone-warn-text');
  }
  scope.add(() => recorder.cancel(null));
  scope.add(chat.onFrame(frame => recorder.frame(frame)));
  scope.add(chat.onState(showState));
  input.focus();
}

/** One entry of the conversation as a list item. */
function entryNode(entry, submit, fill) {
  const kind = entry.kind;
  const li = h('li', {class: `chat-entry chat-${kind}`, dataset: {kind, entry: String(entry.id)}});
  if (kind === 'me') {
    li.append(h('span', {class: 'chat-who'}, entry.voice ? 'You said' : 'You'), h('p', {class: 'chat-text'}, entry.text));
    return li;
  }
  if (kind === 'hearing') {
    li.append(h('span', {class: 'chat-who'}, entry.done ? 'Heard' : 'Hearing…'), h('p', {class: 'chat-text'}, entry.text || '…'));
    return li;
  }
  if (kind === 'error') {
    li.setAttribute('role', 'alert');
    li.append(h('span', {class: 'chat-who'}, 'Error'), h('p', {class: 'chat-text'}, entry.text),
      entry.code ? h('code', {class: 'chat-code'}, entry.code) : null);
    return li;
  }
  if (kind === 'note') {
    li.classList.add(`tone-${entry.tone || 'muted'}`);
    li.append(h('p', {class: 'chat-text'}, entry.text));
    return li;
  }
  const reply = entry.reply || {};
  li.append(h('span', {class: 'chat-who'}, 'Codex-32'), h('p', {class: 'chat-text'}, entry.text));
  if (reply.awaiting === 'confirmation') {
    li.append(h('div', {class: 'actions chat-awaiting'},
      button('Confirm', () => submit('yes'), {kind: 'primary', id: 'chat-confirm'}),
      button('Cancel', () => submit('no'), {id: 'chat-cancel'})));
  }
  const suggestions = Array.isArray(reply.suggestions) ? reply.suggestions.filter(s => typeof s === 'string') : [];
  if (suggestions.length) {
    // A choice is answered by sending it; a sentence with a <placeholder> is put into the field to complete.
    li.append(h('div', {class: `actions chat-suggestions${reply.awaiting === 'choice' ? ' chat-awaiting' : ''}`},
      h('span', {class: 'muted'}, reply.awaiting === 'choice' ? 'Choose:' : 'Try:'),
      suggestions.map(s => button(s, () => (s.includes('<') ? fill(s) : submit(s)), {class: 'btn btn-secondary chat-suggestion'}))));
  }
  return li;
}

/**
 * The push-to-talk button: a long press records while held, a short press (or Space/Enter) starts
 * recording until the next press; Escape drops the utterance. Audio goes between audio_start and
 * audio_end; recording stops by itself after MAX_SECONDS.
 */
class PushToTalk {
  constructor(buttonEl, status, unavailable, disable) {
    this.button = buttonEl;
    this.status = status;
    this.unavailable = unavailable;
    this.disable = disable;
    this.state = 'idle';          // idle | starting | recording | stopping
    this.recorder = null;
    this.pressedAt = 0;
    this.latched = false;         // recording until the next press
    this.releaseEarly = false;    // released (after a hold) before the microphone was open
    this.timer = null;
    this.ticker = null;
    buttonEl.addEventListener('pointerdown', event => {
      if (event.button === 0) {
        event.preventDefault();
        buttonEl.focus();
        // Releasing after sliding off the button still ends a held recording.
        buttonEl.setPointerCapture(event.pointerId);
        this.press();
      }
    });
    buttonEl.addEventListener('pointerup', () => this.release());
    buttonEl.addEventListener('pointercancel', () => this.release());
    buttonEl.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        this.cancel('Recording cancelled.');
      } else if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
        event.preventDefault();
        this.press();
      } else if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
      }
    });
    buttonEl.addEventListener('keyup', event => {
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        this.release();
      }
    });
    // Activation comes from the handlers above; the click that follows them does nothing more.
    buttonEl.addEventListener('click', event => event.preventDefault());
  }

  press() {
    if (this.state === 'recording' || this.state === 'starting') {
      if (this.latched) {
        this.finish();
      }
      return;
    }
    if (this.state !== 'idle' || this.button.disabled) {
      return;
    }
    this.pressedAt = performance.now();
    this.latched = false;
    this.releaseEarly = false;
    this.begin();
  }

  release() {
    if (this.state !== 'recording' && this.state !== 'starting') {
      return;
    }
    if (this.latched) {
      return;
    }
    if (performance.now() - this.pressedAt < HOLD_MS) {
      this.latched = true;
      this.show('Listening… press again to send, Escape to cancel.');
      return;
    }
    if (this.state === 'starting') {
      this.releaseEarly = true;
    } else {
      this.finish();
    }
  }

  async begin() {
    this.state = 'starting';
    this.setPressed(true, 'Opening the microphone…');
    // Audio waits until the node's recogniser is ready: a node without one refuses audio_start, and
    // chunks sent meanwhile would each be refused again.
    this.pending = [];
    this.opened = new Promise((resolve, reject) => {
      this.openedResolve = resolve;
      this.openedReject = reject;
    });
    this.opened.catch(() => {});
    const recorder = new voice.Recorder(chunk => (this.pending ? this.pending.push(chunk) : chat.sendAudio(chunk)),
      MAX_SECONDS * voice.RATE);
    this.recorder = recorder;
    try {
      await recorder.start();
    } catch (error) {
      if (this.recorder === recorder) {
        this.reset();
        const message = voice.explain(error);
        this.show(message, 'bad');
        chat.note(message, 'bad');
      }
      return;
    }
    if (this.recorder !== recorder) {
      recorder.release();
      return;
    }
    if (!chat.sendJson({type: 'audio_start', sample_rate: voice.RATE})) {
      recorder.release();
      this.reset();
      this.show('Not connected: nothing was recorded.', 'bad');
      return;
    }
    this.state = 'recording';
    const started = performance.now();
    this.timer = setTimeout(() => {
      chat.note(`Recording stopped after ${MAX_SECONDS} s, the longest an utterance may be.`);
      this.finish();
    }, MAX_SECONDS * 1000);
    const tick = () => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      this.show(`${this.latched ? 'Listening… press again to send' : 'Listening… release to send'} (${seconds} s of ${MAX_SECONDS}). `
        + 'Escape cancels.');
    };
    tick();
    this.ticker = setInterval(tick, 1000);
    if (this.releaseEarly) {
      this.finish();
    }
  }

  async finish() {
    if (this.state === 'starting') {
      this.releaseEarly = true;
      this.latched = false;
      return;
    }
    if (this.state !== 'recording') {
      return;
    }
    const recorder = this.recorder;
    this.state = 'stopping';
    this.stopTimers();
    this.show('Recognising…');
    await recorder.stop();
    try {
      await this.opened;
    } catch {
      return;
    }
    if (this.recorder === recorder) {
      chat.sendJson({type: 'audio_end'});
      this.reset();
    }
  }

  /** Drops the utterance (Escape, leaving the page, a lost connection); message says why, null: silently. */
  cancel(message) {
    if (this.state === 'idle') {
      return;
    }
    const wasSending = this.state === 'recording' || this.state === 'stopping';
    if (this.recorder) {
      this.recorder.release();
    }
    if (wasSending) {
      chat.sendJson({type: 'audio_cancel'});
    }
    this.reset();
    if (message) {
      this.show(message);
    }
  }

  /** What the server says about the utterance. */
  frame(frame) {
    if (frame.type === 'audio_started' && this.pending) {
      const waiting = this.pending;
      this.pending = null;
      waiting.forEach(chunk => chat.sendAudio(chunk));
      this.openedResolve();
    } else if (frame.type === 'error' && this.state !== 'idle' && ENDS_UTTERANCE.has(frame.code)) {
      // The server ended (or never opened) the utterance: stop recording it.
      if (this.recorder) {
        this.recorder.release();
      }
      this.reset();
      if (frame.code === 'voice_unavailable') {
        const reason = `Speech is not available: ${String(frame.message).replace(/\.?$/, '.')} Typing works.`;
        this.show(reason, 'bad');
        this.disable(reason);
      } else {
        this.show(frame.message, 'bad');
      }
    } else if (frame.type === 'transcript') {
      this.show('');
    }
  }

  reset() {
    if (this.openedReject) {
      this.openedReject(new Error('ended'));
    }
    this.openedReject = null;
    this.pending = null;
    this.stopTimers();
    this.recorder = null;
    this.state = 'idle';
    this.latched = false;
    this.setPressed(false);
  }

  stopTimers() {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = null;
    this.ticker = null;
  }

  setPressed(pressed, text) {
    this.button.setAttribute('aria-pressed', String(pressed));
    this.button.classList.toggle('recording', pressed);
    this.button.textContent = pressed ? 'Listening…' : 'Hold to talk';
    this.button.dataset.state = pressed ? 'recording' : 'idle';
    if (text) {
      this.show(text);
    }
  }

  show(text, tone) {
    replace(this.status, text);
    this.status.classList.toggle('tone-bad-text', tone === 'bad');
  }
}
