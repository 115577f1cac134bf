// Shared pieces of the pages: headings, badges, notices, confirmation, empty and error states.

import {h, replace} from './dom.js';

const STATUS_TONE = {
  running: 'ok', starting: 'busy', deploying: 'busy', stopping: 'busy', restarting: 'warn',
  failed: 'bad', unknown: 'muted', stopped: 'muted', registered: 'muted',
};

/** The status word with its colour; the colour is never the only signal. */
export function statusBadge(status) {
  return h('span', {class: `badge tone-${STATUS_TONE[status] || 'muted'}`, dataset: {status: status || 'unknown'}}, status || 'unknown');
}

export function onlineBadge(online) {
  return h('span', {class: `badge tone-${online ? 'ok' : 'muted'}`}, online ? 'online' : 'offline');
}

/** <h1> plus an optional row of actions; the heading takes the focus after navigation. */
export function pageHeader(title, ...actions) {
  return h('div', {class: 'page-header'},
    h('h1', {tabindex: '-1'}, title),
    actions.length ? h('div', {class: 'actions'}, actions) : null);
}

export function button(label, onclick, {kind = 'secondary', ...attrs} = {}) {
  return h('button', {type: 'button', class: `btn btn-${kind}`, onclick, ...attrs}, label);
}

export function link(label, href, {kind, ...attrs} = {}) {
  return h('a', {href, class: kind ? `btn btn-${kind}` : null, ...attrs}, label);
}

/** A friendly box for "nothing here yet", with an optional next step. */
export function emptyState(title, text, action = null) {
  return h('div', {class: 'empty'}, h('p', {class: 'empty-title'}, title), text ? h('p', {}, text) : null, action);
}

/** What went wrong, in words; 403 and "unreachable" get their own explanations. */
export function errorState(error, retry = null) {
  let title = 'Something went wrong';
  let text = error.message;
  if (error.unreachable) {
    title = 'The gateway cannot be reached';
  } else if (error.status === 403) {
    title = 'Not allowed';
    text = `${error.message} Ask an admin if you need access.`;
  } else if (error.status === 404) {
    title = 'Not found';
  }
  return h('div', {class: 'error-box', role: 'alert'}, h('p', {class: 'empty-title'}, title), h('p', {}, text),
    retry ? button('Try again', retry) : null);
}

export function forbidden(what) {
  return h('div', {class: 'error-box', role: 'alert'}, h('p', {class: 'empty-title'}, 'Not allowed'),
    h('p', {}, `Your role cannot ${what}. Ask an admin if you need access.`));
}

/** Short messages in the corner, announced to screen readers. */
export function toast(message, tone = 'ok') {
  const region = document.getElementById('toasts');
  const item = h('div', {class: `toast tone-${tone}`, role: tone === 'bad' ? 'alert' : 'status'}, message);
  region.append(item);
  setTimeout(() => item.remove(), tone === 'bad' ? 8000 : 4000);
}

/** Runs an action from a button: disables it meanwhile, reports failure as a toast. */
export async function act(buttonEl, action, success) {
  buttonEl.disabled = true;
  try {
    const result = await action();
    if (success) {
      toast(success);
    }
    return result;
  } catch (error) {
    toast(error.message, 'bad');
    return undefined;
  } finally {
    buttonEl.disabled = false;
  }
}

/** A modal question; resolves true when confirmed. Escape or Cancel resolve false. */
export function confirm(title, text, confirmLabel, {danger = true} = {}) {
  return new Promise(resolve => {
    const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': 'dialog-title'});
    const finish = value => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    replace(dialog,
      h('h2', {id: 'dialog-title'}, title),
      h('p', {}, text),
      h('div', {class: 'actions'},
        button('Cancel', () => finish(false)),
        button(confirmLabel, () => finish(true), {kind: danger ? 'danger' : 'primary', dataset: {confirm: ''}})));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A secret shown once, with a copy button and a warning that it will not be shown again. */
export function secretBox(label, secret, extra = null) {
  const value = h('code', {class: 'secret', dataset: {secret: ''}}, secret);
  return h('div', {class: 'secret-box', role: 'status'},
    h('p', {}, h('strong', {}, label), ' — copy it now: it is not shown again.'),
    h('div', {class: 'secret-row'}, value,
      button('Copy', event => copy(event.currentTarget, secret))),
    extra);
}

async function copy(buttonEl, text) {
  try {
    await navigator.clipboard.writeText(text);
    buttonEl.textContent = 'Copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(buttonEl.previousElementSibling);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    buttonEl.textContent = 'Selected: press Ctrl+C';
  }
}

/** A labelled definition list from [label, value] pairs. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(Boolean).map(([label, value, key]) =>
    h('div', {class: 'fact'}, h('dt', {}, label), h('dd', {dataset: key ? {fact: key} : {}}, value))));
}

export function section(title, ...children) {
  return h('section', {class: 'card'}, h('h2', {}, title), children);
}
