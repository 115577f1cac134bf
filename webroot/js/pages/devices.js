// Devices: who is online and what each sent last, live; registering one shows its MQTT secret once.

import * as api from '../api.js';
import * as live from '../live.js';
import * as session from '../session.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {field, showErrors, value} from '../forms.js';
import {button, emptyState, errorState, forbidden, onlineBadge, pageHeader, secretBox} from '../ui.js';

const REFRESH_MS = 10000;
/** Live telemetry for this many devices (one topic each; a connection may hold 100). */
const LIVE_DEVICES = 90;

export function render(main, params, scope) {
  if (!session.can('devices_read')) {
    main.append(pageHeader('Devices'), forbidden('see devices'));
    return;
  }
  const canWrite = session.can('devices_write');
  const registerSlot = h('div', {});
  const listSlot = h('div', {}, h('p', {class: 'loading'}, 'Loading devices…'));
  const registerButton = canWrite ? button('Register device', () => {
    replace(registerSlot, registerForm(registerSlot, () => load()));
    registerSlot.querySelector('input').focus();
  }, {kind: 'primary', id: 'register-device'}) : null;
  main.append(pageHeader('Devices', registerButton), registerSlot, h('section', {class: 'card'}, listSlot));

  const rows = new Map();
  const subscriptions = new Map();
  scope.add(() => subscriptions.forEach(unsubscribe => unsubscribe()));

  const load = () => api.get('/api/v1/devices').then(({items}) => {
    if (!scope.alive) {
      return;
    }
    if (items.length === 0) {
      rows.clear();
      replace(listSlot, emptyState('No devices yet',
        'Devices — ESP32s, sensors — talk MQTT to the gateway with an id and a secret that you get by registering them here.'));
      return;
    }
    let tbody = listSlot.querySelector('tbody');
    if (!tbody) {
      tbody = h('tbody', {});
      replace(listSlot, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'devices-table'},
        h('thead', {}, h('tr', {}, ['Device', 'State', 'Latest telemetry', 'Labels'].map(t => h('th', {scope: 'col'}, t)))), tbody)),
      items.length > LIVE_DEVICES ? h('p', {class: 'muted'}, `Live telemetry for the first ${LIVE_DEVICES}; the others refresh every few seconds.`)
        : null);
    }
    const seen = new Set(items.map(d => d.id));
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        rows.delete(id);
        const unsubscribe = subscriptions.get(id);
        if (unsubscribe) {
          unsubscribe();
          subscriptions.delete(id);
        }
      }
    }
    items.forEach((device, index) => {
      let row = rows.get(device.id);
      if (!row) {
        row = new DeviceRow();
        rows.set(device.id, row);
      }
      row.update(device);
      tbody.append(row.tr);
      if (index < LIVE_DEVICES && !subscriptions.has(device.id)) {
        subscriptions.set(device.id, live.subscribe(`devices/${device.id}/telemetry`, event => {
          if (event.type === 'telemetry') {
            rows.get(device.id)?.telemetry(event.data);
          }
        }));
      }
    });
  }, error => scope.alive && rows.size === 0 && replace(listSlot, errorState(error, load)));

  scope.add(live.onResync(load));
  scope.every(REFRESH_MS, () => document.visibilityState === 'visible' && load());
  load();
}

class DeviceRow {
  constructor() {
    this.name = h('a', {});
    this.state = h('td', {'data-label': 'State'});
    this.latest = h('td', {'data-label': 'Latest telemetry', class: 'telemetry'});
    this.labels = h('td', {'data-label': 'Labels'});
    this.tr = h('tr', {}, h('td', {'data-label': 'Device'}, this.name), this.state, this.latest, this.labels);
  }

  /** source: "reload" (the list was read) or "live" (a telemetry event). */
  update(device, source = 'reload') {
    this.device = device;
    this.tr.dataset.device = device.id;
    this.tr.dataset.updated = source;
    this.name.href = `#/devices/${encodeURIComponent(device.id)}`;
    replace(this.name, device.name || device.id, device.name && device.name !== device.id ? h('span', {class: 'sub'}, device.id) : null);
    replace(this.state, onlineBadge(device.online), device.enabled === false ? h('span', {class: 'badge tone-warn'}, 'disabled') : null,
      h('span', {class: 'sub'}, device.last_seen ? `seen ${fmt.ago(device.last_seen)}` : 'never connected'));
    this.drawTelemetry();
    this.labels.textContent = Object.entries(device.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—';
  }

  telemetry(message) {
    this.update({...this.device, online: true, last_seen: message.time, telemetry: message}, 'live');
    this.latest.classList.remove('flash');
    void this.latest.offsetWidth;
    this.latest.classList.add('flash');
  }

  drawTelemetry() {
    const t = this.device.telemetry;
    replace(this.latest, t ? [h('code', {}, fmt.payload(t.payload)), h('span', {class: 'sub'}, fmt.time(t.time))] : '—');
  }
}

function registerForm(slot, onCreated) {
  const form = h('form', {class: 'card', novalidate: true, id: 'register-form', 'aria-labelledby': 'register-title'},
    h('h2', {id: 'register-title'}, 'Register a device'),
    h('div', {class: 'grid-2'},
      field('Id', 'id', {hint: 'Optional: lowercase letters, digits, dashes. Generated when empty.',
        pattern: 'Use lowercase letters, digits and dashes (up to 63), starting with a letter or digit.', autocapitalize: 'none'}),
      field('Name', 'name', {hint: 'Optional, e.g. Greenhouse sensor.'})),
    h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
    h('div', {class: 'actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, 'Register'),
      button('Cancel', () => replace(slot))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = {};
    if (value(form, 'id')) {
      body.id = value(form, 'id');
    }
    if (value(form, 'name')) {
      body.name = value(form, 'name');
    }
    try {
      const device = await api.post('/api/v1/devices', body);
      replace(slot, h('section', {class: 'card', id: 'device-secret'}, h('h2', {}, `Device ${device.id} registered`),
        secretBox('Its MQTT password', device.secret, connectionHelp(device.id, device.secret)),
        button('Done', () => replace(slot))));
      onCreated();
    } catch (error) {
      showErrors(form, error, {already_exists: 'id', invalid_id: 'id'});
    }
  });
  return form;
}

/** How the device connects, ready to paste. 1883 is the default; the gateway's mqtt.port may differ. */
export function connectionHelp(id, secret) {
  const host = location.hostname;
  return h('div', {},
    h('p', {}, 'The device connects with client id and username ', h('code', {}, id), ' and this password. To try it from a shell:'),
    h('pre', {class: 'command'}, `mosquitto_pub -h ${host} -p 1883 -i ${id} -u ${id} -P '${secret}' \\\n`
      + `  -t devices/${id}/telemetry -q 1 -m '{"temp": 21.5}'`),
    h('p', {class: 'muted'}, '1883 is the default MQTT port; use the gateway\'s mqtt.port if it was changed. '
      + `Commands arrive on devices/${id}/commands/<name>.`));
}
