// Sign in, with the first-start hint: where the initial admin password is.

import * as session from '../session.js';
import {request} from '../http.js';
import {h} from '../dom.js';
import {field, formError, value} from '../forms.js';
import {navigate} from '../router.js';

let notice = null;

/** A message to show on the next sign-in page (why the session ended). */
export function setNotice(message) {
  notice = message;
}

export function render(main, params, scope, query) {
  const form = h('form', {class: 'card login-form', novalidate: true, 'aria-labelledby': 'login-title'},
    field('Username', 'username', {autocomplete: 'username', value: 'admin', autocapitalize: 'none', spellcheck: 'false'}),
    field('Password', 'password', {type: 'password', autocomplete: 'current-password'}),
    h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
    h('button', {type: 'submit', class: 'btn btn-primary'}, 'Sign in'));
  const edgeNote = h('p', {class: 'notice', hidden: true});
  main.append(
    h('div', {class: 'login'},
      h('h1', {id: 'login-title', tabindex: '-1'}, 'Sign in to Codex-32'),
      notice ? h('p', {class: 'notice', role: 'status'}, notice) : null,
      edgeNote,
      form,
      h('details', {class: 'hint-box', open: true},
        h('summary', {}, 'First start?'),
        h('p', {}, 'The first user is ', h('strong', {}, 'admin'), '. Its password is the one set with ',
          h('code', {}, 'CODEX32_ADMIN_PASSWORD'), ' or, if none was set, the one the gateway generated into ',
          h('code', {}, '<data>/initial-admin-password'), ' on its machine (', h('code', {}, 'data/initial-admin-password'),
          ' next to where you started it, unless ', h('code', {}, 'CODEX32_DATA_DIR'), ' says otherwise).'),
        h('p', {}, 'Change it once you are in (Admin → Users), then delete that file.')),
      h('p', {class: 'muted'}, 'API reference: ', h('a', {href: '/docs/'}, '/docs/'))));
  notice = null;
  form.querySelector('[name="password"]').focus();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      await session.signIn(value(form, 'username'), form.querySelector('[name="password"]').value);
      const next = query.get('next');
      navigate(next && next.startsWith('/') && next !== '/login' ? next : '/', {replace: true});
    } catch (error) {
      formError(form, loginMessage(error));
    } finally {
      submit.disabled = false;
    }
  });
  explainEdgeNode(edgeNote, scope);
}

function loginMessage(error) {
  if (error.code === 'invalid_credentials') {
    return 'Wrong username or password (or the user is disabled).';
  }
  if (error.status === 429) {
    return `Too many failed attempts. Try again in ${error.retryAfter || 'a few'} seconds.`;
  }
  if (error.status === 404 || error.status === 405) {
    return 'This server does not offer the API, so you cannot sign in here. Open the gateway\'s dashboard instead.';
  }
  return error.message;
}

/** An edge node serves this dashboard but not the API yet: say so before anyone types a password. */
async function explainEdgeNode(el, scope) {
  try {
    const {json} = await request('GET', '/health');
    if (scope.alive && json && json.node) {
      el.textContent = `This is edge node “${json.node}”. It serves the dashboard but not the API in this release: `
        + 'sign in on the gateway\'s dashboard to manage its bots.';
      el.hidden = false;
    }
  } catch {
    // The gateway answers /health without a node; an unreachable server shows up when signing in.
  }
}
