// The conversation with the gateway on /ws/command/<user>: one WebSocket while someone is signed in
// (opened by the chat page, kept across pages so "it" and an open question survive a look at another
// page), reconnected with backoff like live.js, and the transcript of this tab's conversation.

import * as session from './session.js';

const PROTOCOL = 'codex32.v1';
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
/** Entries kept; older ones scroll away. */
const MAX_ENTRIES = 200;

const stateListeners = new Set();   // function({state, retryAt})
const entryListeners = new Set();   // function(entry, added)
const frameListeners = new Set();   // function(frame): audio_started, partial, transcript, error, ...
let entries = [];
let nextId = 1;
let socket = null;
let user = null;
let wanted = false;
let attempt = 0;
let retryTimer = null;
let state = {state: 'offline', retryAt: null};

function setState(next, retryAt = null) {
  state = {state: next, retryAt};
  stateListeners.forEach(listener => listener(state));
}

/** Called with {state: 'connecting'|'live'|'reconnecting'|'offline', retryAt} now and on every change. */
export function onState(listener) {
  stateListeners.add(listener);
  listener(state);
  return () => stateListeners.delete(listener);
}

/** Called with (entry, added) for each new entry and each change of one (a partial transcript growing). */
export function onEntry(listener) {
  entryListeners.add(listener);
  return () => entryListeners.delete(listener);
}

/** Called with every frame the server sends, after the transcript took what it needs from it. */
export function onFrame(listener) {
  frameListeners.add(listener);
  return () => frameListeners.delete(listener);
}

/**
 * The conversation so far, oldest first: {id, kind, text, ...}. kind is 'me' (typed or, with
 * voice: true, spoken and recognised), 'hearing' (a partial transcript), 'reply' (with the server's
 * frame as reply), 'error' (with code) or 'note' (the page's own remarks).
 */
export function transcript() {
  return entries;
}

export function isLive() {
  return state.state === 'live';
}

/** Connects for the signed-in user unless already connected. */
export function start() {
  const me = session.user();
  if (!me) {
    return;
  }
  if (user !== me.subject) {
    stop();
    user = me.subject;
  }
  wanted = true;
  if (!socket && !retryTimer) {
    connect();
  }
}

/** Closes the socket and forgets the conversation (signing out, or another user signing in). */
export function stop() {
  wanted = false;
  clearTimeout(retryTimer);
  retryTimer = null;
  attempt = 0;
  if (socket) {
    const closing = socket;
    socket = null;
    closing.close(1000, 'signed out');
  }
  entries = [];
  user = null;
  setState('offline');
}

/** Sends a typed utterance; false when the socket is not open. */
export function say(text) {
  if (!sendJson({type: 'message', text})) {
    return false;
  }
  add({kind: 'me', text});
  return true;
}

/** Sends a control frame (audio_start, audio_end, audio_cancel); false when the socket is not open. */
export function sendJson(frame) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    return false;
  }
  socket.send(JSON.stringify(frame));
  return true;
}

/** Sends 16 kHz mono s16le samples as one binary frame; false when the socket is not open. */
export function sendAudio(buffer) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    return false;
  }
  socket.send(buffer);
  return true;
}

/** Adds an entry of the page's own (a microphone problem, say). */
export function note(text, tone = 'muted') {
  add({kind: 'note', text, tone});
}

/** Ends the shown partial transcript (the utterance was cancelled or failed). */
export function dropHearing() {
  const hearing = entries.findLast(entry => entry.kind === 'hearing' && !entry.done);
  if (hearing) {
    hearing.done = true;
    hearing.text = hearing.text ? `${hearing.text} (cancelled)` : '(nothing heard)';
    entryListeners.forEach(listener => listener(hearing, false));
  }
}

function add(fields) {
  const entry = {id: nextId++, time: new Date(), ...fields};
  entries.push(entry);
  if (entries.length > MAX_ENTRIES) {
    entries.splice(0, entries.length - MAX_ENTRIES);
  }
  entryListeners.forEach(listener => listener(entry, true));
  return entry;
}

function hearing(text, done) {
  let entry = entries.findLast(e => e.kind === 'hearing' && !e.done);
  if (!entry) {
    entry = add({kind: 'hearing', text: '', done: false});
  }
  entry.text = text;
  entry.done = done;
  entryListeners.forEach(listener => listener(entry, false));
}

async function connect() {
  retryTimer = null;
  setState(attempt === 0 ? 'connecting' : 'reconnecting');
  try {
    await session.fresh();
  } catch {
    // unreachable: the WebSocket attempt below fails too and schedules the retry
  }
  if (!wanted || !session.accessToken() || socket) {
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws/command/${encodeURIComponent(user)}`,
    [PROTOCOL, `codex32.bearer.${session.accessToken()}`]);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
    attempt = 0;
    setState('live');
  };
  ws.onmessage = message => {
    if (typeof message.data === 'string') {
      dispatch(message.data);
    }
  };
  ws.onclose = close => {
    if (socket !== ws) {
      return;
    }
    socket = null;
    if (!wanted) {
      return;
    }
    frameListeners.forEach(listener => listener({type: 'closed'}));
    if (close.code === 4401) {
      // The access token expired or was revoked: a refreshed one may do; a refused refresh ends the session.
      session.refresh().then(() => retry(0), () => retry());
      return;
    }
    retry(opened ? 0 : undefined);
  };
}

function retry(delay) {
  if (!wanted) {
    return;
  }
  const wait = delay ?? BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
  attempt += 1;
  setState('reconnecting', Date.now() + wait);
  retryTimer = setTimeout(connect, wait);
}

function dispatch(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return;
  }
  if (!frame || typeof frame.type !== 'string') {
    return;
  }
  if (frame.type === 'reply') {
    add({kind: 'reply', text: String(frame.text ?? ''), reply: frame});
  } else if (frame.type === 'partial') {
    hearing(String(frame.text ?? ''), false);
  } else if (frame.type === 'transcript') {
    const heard = String(frame.text ?? '');
    const open = entries.findLast(e => e.kind === 'hearing' && !e.done);
    if (open) {
      entries.splice(entries.indexOf(open), 1);
      entryListeners.forEach(listener => listener({...open, removed: true}, false));
    }
    add({kind: 'me', text: heard || '(nothing heard)', voice: true});
  } else if (frame.type === 'error') {
    dropHearing();
    add({kind: 'error', code: String(frame.code ?? ''), text: String(frame.message ?? frame.code ?? 'error')});
  } else if (frame.type === 'audio_cancelled') {
    dropHearing();
  }
  frameListeners.forEach(listener => listener(frame));
}
