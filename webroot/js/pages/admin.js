// Admin: users and their roles, API keys (the key is shown once, when created).

import * as api from '../api.js';
import * as session from '../session.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {clearErrors, field, showErrors, value} from '../forms.js';
import {act, button, confirm, emptyState, errorState, forbidden, pageHeader, secretBox, section, toast} from '../ui.js';

const ROLES = [['viewer', 'viewer — reads everything'], ['user', 'user — also starts and stops bots'],
  ['operator', 'operator — also creates bots and devices'], ['admin', 'admin — also users, keys and audit']];

export function render(main, params, scope) {
  main.append(pageHeader('Admin'));
  const users = session.can('users_manage');
  const keys = session.can('api_keys_manage');
  if (!users && !keys) {
    main.append(forbidden('manage users or API keys'));
    return;
  }
  main.append(h('p', {class: 'muted'}, 'Who may do what: see the permission matrix in docs/security.md. ',
    'Viewers read; users also start and stop bots; operators also create bots and devices; admins also manage users and keys.'));
  if (users) {
    main.append(new UsersSection(scope).el);
  }
  if (keys) {
    main.append(new KeysSection(scope).el);
  }
}

class UsersSection {
  constructor(scope) {
    this.scope = scope;
    this.list = h('div', {}, h('p', {class: 'loading'}, 'Loading users…'));
    this.el = section('Users', this.list, this.createForm());
    this.el.id = 'users';
    this.load();
  }

  load() {
    return api.get('/api/v1/users').then(({items}) => this.scope.alive && this.draw(items),
      error => this.scope.alive && replace(this.list, errorState(error, () => this.load())));
  }

  draw(users) {
    const me = session.user().subject;
    replace(this.list, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'users-table'},
      h('thead', {}, h('tr', {}, ['User', 'Role', 'State', 'Created', 'Actions'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, users.map(user => {
        const role = h('select', {'aria-label': `Role of ${user.username}`, dataset: {role: user.username}},
          ROLES.map(([v]) => h('option', {value: v, selected: v === user.role}, v)));
        role.addEventListener('change', () => this.update(role, user, {role: role.value}, `${user.username} is now ${role.value}`));
        return h('tr', {dataset: {user: user.username}},
          h('td', {'data-label': 'User'}, user.username, user.username === me ? h('span', {class: 'sub'}, 'you') : null),
          h('td', {'data-label': 'Role'}, role),
          h('td', {'data-label': 'State'}, h('span', {class: `badge tone-${user.disabled ? 'warn' : 'ok'}`}, user.disabled ? 'disabled' : 'enabled')),
          h('td', {'data-label': 'Created'}, fmt.dateTime(user.created_at)),
          h('td', {'data-label': 'Actions'}, h('div', {class: 'row-actions'},
            button('Set password', e => this.password(e.currentTarget, user)),
            button(user.disabled ? 'Enable' : 'Disable', e => this.update(e.currentTarget, user, {disabled: !user.disabled},
              `${user.username} ${user.disabled ? 'enabled' : 'disabled'}`)),
            user.username === me ? null : button('Delete', e => this.remove(e.currentTarget, user), {kind: 'danger'}))));
      })))));
  }

  async update(control, user, changes, message) {
    await act(control, () => api.patch(`/api/v1/users/${encodeURIComponent(user.username)}`, changes), message);
    await this.load();
  }

  async password(buttonEl, user) {
    const form = h('form', {method: 'dialog', novalidate: true},
      h('h2', {id: 'dialog-title'}, `New password for ${user.username}`),
      field('Password', 'password', {type: 'password', autocomplete: 'new-password', hint: '8 to 72 characters. The user is signed out everywhere.'}),
      h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'btn btn-secondary', value: 'cancel'}, 'Cancel'),
        h('button', {type: 'submit', class: 'btn btn-primary'}, 'Set password')));
    const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': 'dialog-title'}, form);
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    form.querySelector('button[value="cancel"]').addEventListener('click', close);
    dialog.addEventListener('cancel', close);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form);
      try {
        await api.patch(`/api/v1/users/${encodeURIComponent(user.username)}`, {password: form.querySelector('[name="password"]').value});
        close();
        toast(`Password of ${user.username} changed`);
        if (user.username === session.user().subject) {
          session.end('Your password changed: sign in with the new one.');
        }
      } catch (error) {
        showErrors(form, error, {weak_password: 'password', password_too_long: 'password'});
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    buttonEl.blur();
  }

  async remove(buttonEl, user) {
    if (await confirm(`Delete user ${user.username}?`, 'They are signed out everywhere and their API keys stop working.', 'Delete')) {
      await act(buttonEl, () => api.del(`/api/v1/users/${encodeURIComponent(user.username)}`), `User ${user.username} deleted`);
      await this.load();
    }
  }

  createForm() {
    const form = h('form', {class: 'inline-form', novalidate: true, id: 'new-user-form', 'aria-labelledby': 'new-user-title'},
      h('h3', {id: 'new-user-title'}, 'Add a user'),
      h('div', {class: 'grid-3'},
        field('Username', 'username', {autocomplete: 'off', autocapitalize: 'none',
          pattern: 'Lowercase letters, digits, ., _ and - (up to 32), starting with a letter or digit.'}),
        field('Password', 'password', {type: 'password', autocomplete: 'new-password', hint: '8 to 72 characters.'}),
        field('Role', 'role', {control: 'select', value: 'viewer', choices: ROLES})),
      h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
      h('button', {type: 'submit', class: 'btn btn-primary'}, 'Add user'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form);
      try {
        const user = await api.post('/api/v1/users', {username: value(form, 'username'),
          password: form.querySelector('[name="password"]').value, role: value(form, 'role')});
        form.reset();
        toast(`User ${user.username} added`);
        await this.load();
      } catch (error) {
        showErrors(form, error, {already_exists: 'username', invalid_username: 'username', weak_password: 'password',
          password_too_long: 'password', invalid_role: 'role'});
      }
    });
    return form;
  }
}

class KeysSection {
  constructor(scope) {
    this.scope = scope;
    this.created = h('div', {});
    this.list = h('div', {}, h('p', {class: 'loading'}, 'Loading API keys…'));
    this.el = section('API keys', h('p', {class: 'muted'}, 'For scripts and CI: send the key as the X-API-Key header. '
      + 'A key acts with its role and stops working when revoked or when its owner is disabled.'), this.created, this.list, this.createForm());
    this.el.id = 'api-keys';
    this.load();
  }

  load() {
    return api.get('/api/v1/api-keys').then(({items}) => this.scope.alive && this.draw(items),
      error => this.scope.alive && replace(this.list, errorState(error, () => this.load())));
  }

  draw(keys) {
    if (keys.length === 0) {
      replace(this.list, emptyState('No API keys', null));
      return;
    }
    replace(this.list, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'keys-table'},
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Owner', 'Created', 'Last used', 'State'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, keys.map(key => h('tr', {dataset: {key: key.id}},
        h('td', {'data-label': 'Name'}, key.name, h('span', {class: 'sub'}, key.id)),
        h('td', {'data-label': 'Role'}, key.role),
        h('td', {'data-label': 'Owner'}, key.owner),
        h('td', {'data-label': 'Created'}, fmt.dateTime(key.created_at)),
        h('td', {'data-label': 'Last used'}, key.last_used_at ? fmt.ago(key.last_used_at) : 'never'),
        h('td', {'data-label': 'State'}, key.revoked ? h('span', {class: 'badge tone-muted'}, 'revoked')
          : button('Revoke', e => this.revoke(e.currentTarget, key), {kind: 'danger'}))))))));
  }

  async revoke(buttonEl, key) {
    if (await confirm(`Revoke key ${key.name}?`, 'Anything using it is refused from now on. This cannot be undone.', 'Revoke')) {
      await act(buttonEl, () => api.del(`/api/v1/api-keys/${encodeURIComponent(key.id)}`), `Key ${key.name} revoked`);
      await this.load();
    }
  }

  createForm() {
    const form = h('form', {class: 'inline-form', novalidate: true, id: 'new-key-form', 'aria-labelledby': 'new-key-title'},
      h('h3', {id: 'new-key-title'}, 'Create an API key'),
      h('div', {class: 'grid-2'},
        field('Name', 'name', {hint: 'What uses it, e.g. ci.'}),
        field('Role', 'role', {control: 'select', value: 'viewer', choices: ROLES})),
      h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
      h('button', {type: 'submit', class: 'btn btn-primary'}, 'Create key'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form);
      try {
        const key = await api.post('/api/v1/api-keys', {name: value(form, 'name'), role: value(form, 'role')});
        form.reset();
        replace(this.created, secretBox(`API key ${key.name}`, key.key,
          h('p', {class: 'muted'}, 'Use it as: ', h('code', {}, 'curl -H "X-API-Key: <key>" …/api/v1/bots'))));
        await this.load();
      } catch (error) {
        showErrors(form, error, {invalid_name: 'name', invalid_role: 'role'});
      }
    });
    return form;
  }
}
