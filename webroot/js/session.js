// Who is signed in: the token pair, kept in this tab's sessionStorage, and what /auth/me says.
// sessionStorage rather than localStorage: each tab rotates its own refresh token, so two tabs can
// never present the same one (the gateway treats a reused refresh token as theft and ends the login).

import {request} from './http.js';

const KEY = 'codex32.session';
/** Refresh this long before the access token expires (a fifth of its lifetime when that is shorter). */
const EARLY_MS = 60_000;

let tokens = load();
/** From the last page load of this tab until loadUser() confirms it: the first render need not wait for /auth/me. */
let me = tokens && tokens.me ? tokens.me : null;
let confirmed = false;
let refreshing = null;
let timer = null;
const listeners = new Set();

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY));
    return saved && saved.access_token && saved.refresh_token ? saved : null;
  } catch {
    return null;
  }
}

function store(pair) {
  const lifetime = (pair.expires_in || 900) * 1000;
  tokens = {
    access_token: pair.access_token,
    refresh_token: pair.refresh_token,
    expires_at: Date.now() + lifetime,
    early_ms: Math.min(EARLY_MS, lifetime / 5),
    me,
  };
  save();
  schedule();
}

function save() {
  sessionStorage.setItem(KEY, JSON.stringify(tokens));
}

function schedule() {
  clearTimeout(timer);
  if (tokens) {
    const wait = Math.max(5_000, tokens.expires_at - Date.now() - (tokens.early_ms ?? EARLY_MS));
    timer = setTimeout(() => refresh().catch(() => {}), wait);
  }
}

export function signedIn() {
  return tokens !== null;
}

export function accessToken() {
  return tokens && tokens.access_token;
}

/** {subject, role, kind, permissions} of the signed-in user, once loaded (possibly as remembered by this tab). */
export function user() {
  return me;
}

/** Whether user() comes from the gateway during this page load rather than from this tab's memory. */
export function userConfirmed() {
  return confirmed;
}

export function can(permission) {
  return me !== null && me.permissions.includes(permission);
}

/** Called with (signedIn, reason) whenever the user signs in or the session ends. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(username, password) {
  const {json} = await request('POST', '/api/v1/auth/login', {body: {username, password}});
  store(json);
  await loadUser();
  listeners.forEach(listener => listener(true, null));
}

export async function loadUser() {
  const {json} = await request('GET', '/api/v1/auth/me', {token: accessToken()}).catch(async error => {
    if (error.status !== 401) {
      throw error;
    }
    await refresh();
    return request('GET', '/api/v1/auth/me', {token: accessToken()});
  });
  me = json;
  confirmed = true;
  if (tokens) {
    tokens.me = me;
    save();
  }
  schedule();
  return me;
}

/** A new token pair; one refresh at a time. A refused refresh ends the session. */
export function refresh() {
  if (!tokens) {
    return Promise.reject(new Error('not signed in'));
  }
  if (!refreshing) {
    const used = tokens.refresh_token;
    refreshing = request('POST', '/api/v1/auth/refresh', {body: {refresh_token: used}})
      .then(({json}) => store(json))
      .catch(error => {
        if (!error.unreachable) {
          end('Your session has ended. Please sign in again.');
        }
        throw error;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** Refreshes first when the access token is about to expire. */
export async function fresh() {
  if (tokens && tokens.expires_at - Date.now() < 10_000) {
    await refresh();
  }
}

export async function signOut() {
  const refreshToken = tokens && tokens.refresh_token;
  end(null);
  if (refreshToken) {
    await request('POST', '/api/v1/auth/logout', {body: {refresh_token: refreshToken}}).catch(() => {});
  }
}

/** Forgets the tokens and tells the listeners why (null: the user signed out). */
export function end(reason) {
  if (!tokens && !me) {
    return;
  }
  tokens = null;
  me = null;
  confirmed = false;
  clearTimeout(timer);
  sessionStorage.removeItem(KEY);
  listeners.forEach(listener => listener(false, reason));
}
