// Boots the dashboard: restores the session, keeps the top bar in step with it, and renders the page
// of the current hash route.

import * as session from './session.js';
import * as live from './live.js';
import * as chatClient from './chat-client.js';
import {h, replace} from './dom.js';
import {current, match, navigate, Scope} from './router.js';
import {errorState} from './ui.js';
import * as login from './pages/login.js';
import * as fleet from './pages/fleet.js';
import * as bot from './pages/bot.js';
import * as botForm from './pages/bot-form.js';
import * as devices from './pages/devices.js';
import * as device from './pages/device.js';
import * as node from './pages/node.js';
import * as admin from './pages/admin.js';
import * as chat from './pages/chat.js';

// Every page is loaded up front (index.html preloads the whole graph at once): once the dashboard is
// open, moving between pages needs nothing from the gateway but data, also while it is unreachable.
const ROUTES = [
  ['/login', login],
  ['/', fleet],
  ['/bots/new', botForm],
  ['/bots/:id/edit', botForm],
  ['/bots/:id', bot],
  ['/devices', devices],
  ['/devices/:id', device],
  ['/nodes/:id', node],
  ['/admin', admin],
  ['/chat', chat],
];

const main = document.getElementById('main');
let scope = null;
let firstRender = true;

async function render() {
  const route = current();
  if (route === null) {
    return;
  }
  if (scope) {
    scope.close();
  }
  scope = new Scope();
  const mine = scope;
  const found = match(ROUTES, route.path);
  const isLogin = found !== null && found.page === login;
  if (!session.signedIn() && !isLogin) {
    navigate(`/login?next=${encodeURIComponent(route.path)}`, {replace: true});
    return;
  }
  if (session.signedIn() && !session.user()) {
    try {
      await session.loadUser();
    } catch (error) {
      if (mine.alive && session.signedIn()) {
        replace(main, errorState(error, render));
      }
      return;
    }
    if (!mine.alive) {
      return;
    }
  }
  if (session.signedIn() && isLogin) {
    navigate('/', {replace: true});
    return;
  }
  updateTopbar(route.path);
  main.replaceChildren();
  if (!found) {
    replace(main, h('h1', {tabindex: '-1'}, 'Page not found'), h('p', {}, h('a', {href: '#/'}, 'Back to the fleet')));
  } else {
    found.page.render(main, found.params, scope, route.query);
  }
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Codex-32` : 'Codex-32';
  // After a navigation, start keyboard and screen-reader users at the new page's heading.
  if (heading && !firstRender) {
    heading.focus({preventScroll: true});
  }
  firstRender = false;
  if (session.signedIn() && !session.userConfirmed()) {
    confirmUser(session.user());
  }
}

/** The user was remembered by this tab: ask the gateway, and render again if the role changed meanwhile. */
async function confirmUser(remembered) {
  try {
    const fresh = await session.loadUser();
    if (JSON.stringify(fresh) !== JSON.stringify(remembered)) {
      render();
    }
  } catch {
    // A session that ended is handled by session.onChange; an unreachable gateway shows on the page.
  }
}

function updateTopbar(path) {
  const signedIn = session.signedIn() && session.user();
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('connection').hidden = !signedIn;
  document.getElementById('sign-out').hidden = !signedIn;
  const who = document.getElementById('whoami');
  who.hidden = !signedIn;
  if (!signedIn) {
    return;
  }
  const me = session.user();
  replace(who, me.subject, ' ', h('span', {class: 'role'}, me.role));
  const section = path.startsWith('/devices') ? 'devices' : path.startsWith('/admin') ? 'admin'
    : path.startsWith('/chat') ? 'chat' : 'fleet';
  document.querySelectorAll('#nav a').forEach(a => {
    const needs = a.dataset.needs ? a.dataset.needs.split(' ') : [];
    a.hidden = needs.length > 0 && !needs.some(session.can);
    if (a.dataset.nav === section) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
  live.start();
}

function showConnection({state, retryAt}) {
  const el = document.getElementById('connection');
  el.className = `connection connection-${state}`;
  el.dataset.state = state;
  const words = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: retryAt ? `Reconnecting in ${Math.max(1, Math.round((retryAt - Date.now()) / 1000))} s…` : 'Reconnecting…',
    offline: 'Offline',
  };
  el.textContent = words[state];
  el.title = state === 'live' ? 'Receiving live updates' : 'Live updates paused; the page reconnects by itself';
}

live.onState(showConnection);
// Keep the "reconnecting in N s" countdown honest.
setInterval(() => {
  const el = document.getElementById('connection');
  if (el.dataset.state === 'reconnecting') {
    live.onState(showConnection)();
  }
}, 1000);

session.onChange((signedIn, reason) => {
  if (!signedIn) {
    live.stop();
    chatClient.stop();
    login.setNotice(reason);
    navigate('/login', {replace: true});
  }
});

document.getElementById('sign-out').addEventListener('click', () => session.signOut());
document.querySelector('.skip-link').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
render();
