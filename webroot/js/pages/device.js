// One device: online state, latest telemetry live, commands with their delivery status.

import * as api from '../api.js';
import * as live from '../live.js';
import * as session from '../session.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {clearErrors, field, fieldError, showErrors, value} from '../forms.js';
import {navigate} from '../router.js';
import {act, button, confirm, emptyState, errorState, facts, forbidden, onlineBadge, pageHeader, secretBox, section, toast}
  from '../ui.js';
import {connectionHelp} from './devices.js';

const RECENT_MAX = 20;

export function render(main, params, scope) {
  if (!session.can('devices_read')) {
    main.append(pageHeader(params.id), forbidden('see devices'));
    return;
  }
  const page = new DevicePage(params.id, scope);
  main.append(page.el);
  scope.add(live.subscribe(`devices/${params.id}/telemetry`, event => event.type === 'telemetry' && page.telemetry(event.data)));
  scope.add(live.onResync(() => page.load()));
  // Online and offline are not streamed: re-read the device every few seconds.
  scope.every(5000, () => document.visibilityState === 'visible' && page.load());
  scope.every(1500, () => page.pollCommands());
  page.load();
}

class DevicePage {
  constructor(id, scope) {
    this.id = id;
    this.path = `/api/v1/devices/${encodeURIComponent(id)}`;
    this.scope = scope;
    this.device = null;
    this.recent = [];
    this.commands = [];
    this.canWrite = session.can('devices_write');
    this.heading = pageHeader(id);
    this.actions = h('div', {class: 'actions'});
    this.notice = h('div', {});
    this.overview = h('div', {});
    this.latest = h('div', {id: 'latest-telemetry', 'aria-live': 'polite'});
    this.recentList = h('ol', {class: 'history', id: 'recent-telemetry'});
    this.commandList = h('div', {id: 'commands'});
    this.problem = h('div', {});
    this.body = h('div', {hidden: true},
      section('Overview', this.overview),
      section('Latest telemetry', this.latest, h('h3', {}, 'Received while this page is open'), this.recentList),
      section('Commands', this.canWrite ? this.commandForm() : null, this.commandList));
    this.el = h('div', {},
      h('p', {class: 'breadcrumb'}, h('a', {href: '#/devices'}, 'Devices'), ' / ', id),
      this.heading, this.actions, this.notice, this.problem, this.body);
  }

  async load() {
    try {
      const [device, commands] = await Promise.all([api.get(this.path), api.get(`${this.path}/commands`)]);
      if (!this.scope.alive) {
        return;
      }
      this.device = device;
      this.commands = commands.items;
      replace(this.problem);
      this.body.hidden = false;
      this.draw();
    } catch (error) {
      if (this.scope.alive && !this.device) {
        replace(this.problem, error.status === 404
          ? errorState({message: `There is no device “${this.id}”. It may have been deleted.`, status: 404})
          : errorState(error, () => this.load()));
      }
    }
  }

  telemetry(message) {
    this.recent.unshift(message);
    this.recent.length = Math.min(this.recent.length, RECENT_MAX);
    if (this.device) {
      this.device = {...this.device, online: true, last_seen: message.time, telemetry: message};
      this.draw();
    }
  }

  draw() {
    const d = this.device;
    this.heading.querySelector('h1').textContent = d.name || d.id;
    replace(this.overview, facts([
      ['State', [onlineBadge(d.online), d.enabled === false ? h('span', {class: 'badge tone-warn'}, 'disabled') : null], 'state'],
      ['Id', d.id],
      ['Last seen', d.last_seen ? fmt.dateTime(d.last_seen) : 'never connected'],
      ['Labels', Object.entries(d.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
      ['Registered', fmt.dateTime(d.created_at)],
    ]));
    const t = d.telemetry;
    replace(this.latest, t
      ? [h('pre', {class: 'payload'}, typeof t.payload === 'string' ? t.payload : JSON.stringify(t.payload, null, 2)),
        h('p', {class: 'muted'}, `${fmt.dateTime(t.time)} on ${t.topic} (QoS ${t.qos})`)]
      : emptyState('Nothing received yet', `The device publishes to devices/${d.id}/telemetry; messages appear here as they arrive.`));
    replace(this.recentList, this.recent.map(m => h('li', {}, h('time', {datetime: m.time}, fmt.time(m.time)), ' ',
      h('code', {}, fmt.payload(m.payload)))));
    this.drawActions();
    this.drawCommands();
  }

  drawActions() {
    if (!this.canWrite) {
      replace(this.actions);
      return;
    }
    const enabled = this.device.enabled !== false;
    replace(this.actions,
      button(enabled ? 'Disable' : 'Enable', e => this.setEnabled(e.currentTarget, !enabled), {id: 'device-toggle'}),
      button('New secret', e => this.rotate(e.currentTarget), {id: 'device-rotate'}),
      button('Delete', e => this.remove(e.currentTarget), {kind: 'danger', id: 'device-delete'}));
  }

  commandForm() {
    const form = h('form', {class: 'command-form', novalidate: true, id: 'command-form'},
      h('div', {class: 'grid-3'},
        field('Command', 'name', {hint: 'Sent to devices/<id>/commands/<command>.', pattern: 'Letters, digits, _ and - (up to 64).'}),
        field('Payload', 'payload', {control: 'textarea', rows: 1, spellcheck: 'false', hint: 'JSON, or plain text.'}),
        field('Expires after (s)', 'ttl_s', {value: '3600', inputmode: 'numeric'})),
      h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
      h('button', {type: 'submit', class: 'btn btn-primary'}, 'Send command'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form);
      const body = {name: value(form, 'name')};
      const payload = form.querySelector('[name="payload"]').value.trim();
      if (payload) {
        try {
          body.payload = JSON.parse(payload);
        } catch {
          body.payload = payload;
        }
      }
      const ttl = value(form, 'ttl_s');
      if (ttl) {
        body.ttl_s = /^\d+$/.test(ttl) ? Number(ttl) : ttl;
      }
      if (!body.name) {
        fieldError(form, 'name', 'Name the command, e.g. open-valve.');
        return;
      }
      try {
        const command = await api.post(`${this.path}/commands`, body);
        this.commands.push(command);
        this.drawCommands();
        toast('Command queued. It is delivered when the device, subscribed to its commands, acknowledges it; '
          + 'an offline device gets it when it reconnects with a persistent session.');
      } catch (error) {
        showErrors(form, error, {command_queue_full: 'name'});
      }
    });
    return form;
  }

  drawCommands() {
    if (this.commands.length === 0) {
      replace(this.commandList, h('p', {class: 'muted'}, 'No commands sent yet.'));
      return;
    }
    const rows = [...this.commands].reverse().map(c => h('tr', {dataset: {command: c.id, status: c.status}},
      h('td', {'data-label': 'Command'}, c.name),
      h('td', {'data-label': 'Payload'}, h('code', {}, fmt.payload(c.payload, 80))),
      h('td', {'data-label': 'Status'}, h('span', {class: `badge tone-${{delivered: 'ok', queued: 'busy', expired: 'bad'}[c.status] || 'muted'}`},
        c.status)),
      h('td', {'data-label': 'Sent'}, fmt.time(c.created_at)),
      h('td', {'data-label': 'Delivered'}, c.delivered_at ? fmt.time(c.delivered_at) : c.status === 'queued' ? `until ${fmt.time(c.expires_at)}` : '—')));
    replace(this.commandList, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'commands-table'},
      h('thead', {}, h('tr', {}, ['Command', 'Payload', 'Status', 'Sent', 'Delivered'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, rows))));
  }

  /** While a command waits for its device, watch for its delivery. */
  async pollCommands() {
    if (!this.commands.some(c => c.status === 'queued') || this.polling) {
      return;
    }
    this.polling = true;
    try {
      const {items} = await api.get(`${this.path}/commands`);
      if (this.scope.alive) {
        this.commands = items;
        this.drawCommands();
      }
    } catch {
      // the next poll tries again
    } finally {
      this.polling = false;
    }
  }

  async setEnabled(buttonEl, enabled) {
    const device = await act(buttonEl, () => api.patch(this.path, {enabled}), enabled ? 'Device enabled' : 'Device disabled; its connection was closed');
    if (device && this.scope.alive) {
      this.device = {...this.device, ...device};
      this.draw();
    }
  }

  async rotate(buttonEl) {
    const ok = await confirm('Issue a new secret?', 'The current secret stops working at once and the device is disconnected until it uses the new one.',
      'New secret');
    if (!ok) {
      return;
    }
    const device = await act(buttonEl, () => api.post(`${this.path}/secret`));
    if (device && this.scope.alive) {
      replace(this.notice, h('section', {class: 'card', id: 'device-secret'}, secretBox('The new MQTT password', device.secret,
        connectionHelp(this.id, device.secret)), button('Done', () => replace(this.notice))));
    }
  }

  async remove(buttonEl) {
    const ok = await confirm(`Delete device “${this.device.name || this.id}”?`,
      'Its secret stops working, its connection is closed and its queued commands are dropped.', 'Delete');
    if (ok && await act(buttonEl, () => api.del(this.path).then(() => true))) {
      toast(`Device ${this.id} deleted`);
      navigate('/devices');
    }
  }
}
