// The one WebSocket to /ws/events: topics with reference-counted handlers, automatic reconnection
// with backoff, and a "resync" signal whenever events may have been missed (reconnect, drops), so
// pages reload what they show instead of trusting a gap.

import * as session from './session.js';

const PROTOCOL = 'codex32.v1';
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
/** The gateway allows 100 topics per connection. */
export const MAX_TOPICS = 100;

const handlers = new Map();        // topic → Set<function(event)>
const stateListeners = new Set();  // function({state, retryAt})
const resyncListeners = new Set();
let socket = null;
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

/** Called after a reconnect or dropped events: reload whatever is shown. */
export function onResync(listener) {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

/**
 * Calls handler(event) for each event of topic ({type, topic, timestamp, seq, data}); status events
 * of bots/<id> also reach the subscribers of "bots". Returns the function that unsubscribes.
 */
export function subscribe(topic, handler) {
  let set = handlers.get(topic);
  if (!set) {
    set = new Set();
    handlers.set(topic, set);
    send({op: 'subscribe', topics: [topic]});
  }
  set.add(handler);
  return () => {
    set.delete(handler);
    if (set.size === 0 && handlers.get(topic) === set) {
      handlers.delete(topic);
      send({op: 'unsubscribe', topics: [topic]});
    }
  };
}

export function start() {
  wanted = true;
  if (!socket) {
    connect();
  }
}

export function stop() {
  wanted = false;
  clearTimeout(retryTimer);
  if (socket) {
    const closing = socket;
    socket = null;
    closing.close(1000, 'signed out');
  }
  handlers.clear();
  setState('offline');
}

/** Reconnects at once (e.g. the browser is back online) instead of waiting out the backoff. */
export function retryNow() {
  if (wanted && !socket) {
    clearTimeout(retryTimer);
    connect();
  }
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

async function connect() {
  retryTimer = null;
  setState(attempt === 0 ? 'connecting' : 'reconnecting');
  try {
    await session.fresh();
  } catch {
    // unreachable: the WebSocket attempt below fails too and schedules the retry
  }
  if (!wanted || !session.accessToken()) {
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws/events`, [PROTOCOL, `codex32.bearer.${session.accessToken()}`]);
  socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
    const resumed = attempt > 0;
    attempt = 0;
    setState('live');
    if (handlers.size > 0) {
      ws.send(JSON.stringify({op: 'subscribe', topics: [...handlers.keys()]}));
    }
    if (resumed) {
      resyncListeners.forEach(listener => listener());
    }
  };
  ws.onmessage = message => dispatch(message.data);
  ws.onclose = close => {
    if (socket !== ws) {
      return;
    }
    socket = null;
    if (!wanted) {
      return;
    }
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
  let event;
  try {
    event = JSON.parse(text);
  } catch {
    return;
  }
  if (event.type === 'dropped') {
    resyncListeners.forEach(listener => listener());
    return;
  }
  if (!event.topic) {
    return;
  }
  deliver(event.topic, event);
  if (event.type === 'status' && event.topic.startsWith('bots/')) {
    deliver('bots', event);
  }
}

function deliver(topic, event) {
  const set = handlers.get(topic);
  if (set) {
    [...set].forEach(handler => handler(event));
  }
}

window.addEventListener('online', retryNow);
