// A node's GPIO pins: one row per declared pin with its state, updated in place (focus survives) from
// input changes on the gpio/<node> topic and from the answer to each action; toggle, pulse and duty
// controls for roles with gpio_control, the server's refusal beside the control; the recent input
// changes; a "simulated" badge while the node runs on Pi4J's mock platform.

import * as api from './api.js';
import * as session from './session.js';
import * as fmt from './format.js';
import {h, replace, uid} from './dom.js';
import {button, emptyState, errorState} from './ui.js';

const EDGES_MAX = 20;
const PULSE_DEFAULT_MS = 500;
const PULSE_MAX_MS = 60000;
/** The node puts the old state back when the pulse ends: read the pin again a moment after. */
const PULSE_SETTLE_MS = 250;

export class GpioPanel {
  constructor(node, scope) {
    this.path = `/api/v1/nodes/${encodeURIComponent(node)}/gpio`;
    this.scope = scope;
    this.canControl = session.can('gpio_control');
    this.rows = new Map();
    this.tbody = null;
    this.edges = [];
    this.badge = h('span', {class: 'badge tone-warn', id: 'gpio-simulated', hidden: true}, 'simulated (mock)');
    this.note = h('p', {class: 'notice', hidden: true},
      'This node runs its GPIO on Pi4J\'s mock platform: nothing real is read or driven.');
    this.body = h('div', {}, h('p', {class: 'loading'}, 'Loading pins…'));
    this.edgeList = h('ol', {class: 'history', id: 'gpio-edges'});
    this.edgesEmpty = h('p', {class: 'muted'}, 'No input pin has changed since this page was opened.');
    this.edgesBox = h('div', {hidden: true}, h('h3', {}, 'Recent input changes'), this.edgesEmpty, this.edgeList);
    this.el = h('section', {class: 'card', id: 'gpio', 'aria-labelledby': 'gpio-title'},
      h('div', {class: 'card-header'}, h('h2', {id: 'gpio-title'}, 'GPIO'), this.badge),
      this.note, this.body, this.edgesBox);
  }

  async load() {
    try {
      const answer = await api.get(this.path);
      if (this.scope.alive) {
        this.show(answer);
      }
    } catch (error) {
      if (this.scope.alive) {
        this.fail(error);
      }
    }
  }

  show({simulated, items}) {
    this.markSimulated(simulated);
    this.edgesBox.hidden = false;
    if (items.length === 0) {
      this.forget();
      replace(this.body, emptyState('No pins declared', 'GPIO runs on this node, but its configuration (gpio.pins) declares no pin.'));
      return;
    }
    const layout = pins => pins.map(pin => `${pin.name}:${pin.mode}`).join(' ');
    if (this.tbody && layout(items) === layout([...this.rows.values()].map(row => row.pin))) {
      items.forEach(pin => this.rows.get(pin.name).update(pin));
      return;
    }
    this.rows = new Map(items.map(pin => [pin.name, new PinRow(pin, this)]));
    this.tbody = h('tbody', {}, [...this.rows.values()].map(row => row.tr));
    const headings = ['Pin', 'Label', 'BCM', 'Mode', 'State', this.canControl ? 'Control' : null].filter(Boolean);
    replace(this.body, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'gpio-pins'},
      h('thead', {}, h('tr', {}, headings.map(t => h('th', {scope: 'col'}, t)))), this.tbody)));
  }

  /** A node without GPIO (offline, gpio.enabled false, silent) is a normal state: explained, not an error page. */
  fail(error) {
    if (error.status === 404) {
      this.el.hidden = true;
      return;
    }
    this.forget();
    this.markSimulated(false);
    this.edgesBox.hidden = true;
    replace(this.body, error.status === 503
      ? emptyState('No GPIO on this node right now', `${error.message.replace(/\.$/, '')}. Pins appear here when the node is online with gpio.enabled.`,
        button('Check again', () => this.load(), {id: 'gpio-retry'}))
      : errorState(error, () => this.load()));
  }

  /** A debounced change of an input pin (the gpio/<node> topic). */
  edge(change) {
    this.edges.unshift(change);
    this.edges.length = Math.min(this.edges.length, EDGES_MAX);
    const row = this.rows.get(change.pin);
    if (row) {
      row.update({...row.pin, value: change.value});
    }
    this.edgesEmpty.hidden = true;
    replace(this.edgeList, this.edges.map(e => h('li', {dataset: {pin: e.pin, edge: e.edge}},
      h('time', {datetime: e.time}, fmt.time(e.time)), h('strong', {}, e.pin),
      h('span', {class: `badge tone-${e.edge === 'rising' ? 'busy' : 'muted'}`}, e.edge), `now ${e.value}`,
      e.dropped > 0 ? h('span', {class: 'muted'}, `(${e.dropped} changes over the rate limit not sent since the node started)`) : null)));
  }

  markSimulated(simulated) {
    this.badge.hidden = !simulated;
    this.note.hidden = !simulated;
  }

  forget() {
    this.rows.clear();
    this.tbody = null;
  }

  /** Sends one action for a row's pin; the answer updates the row, a refusal shows beside the control. */
  async act(row, body) {
    if (row.busy) {
      return null;
    }
    row.setBusy(true);
    row.showError(null);
    try {
      const pin = await api.post(`${this.path}/${encodeURIComponent(row.pin.name)}`, body);
      if (this.scope.alive) {
        row.update(pin);
        this.markSimulated(pin.simulated);
      }
      return pin;
    } catch (error) {
      if (this.scope.alive) {
        row.showError(error.message);
      }
      return null;
    } finally {
      row.setBusy(false);
    }
  }

  async pulse(row, ms) {
    const pin = await this.act(row, {action: 'pulse', duration_ms: ms});
    if (pin) {
      row.showPulse(ms);
      const timer = setTimeout(() => this.reread(row), ms + PULSE_SETTLE_MS);
      this.scope.add(() => clearTimeout(timer));
    }
  }

  async reread(row) {
    try {
      const pin = await api.get(`${this.path}/${encodeURIComponent(row.pin.name)}`);
      if (this.scope.alive) {
        row.update(pin);
      }
    } catch (error) {
      if (this.scope.alive) {
        row.showError(error.message);
      }
    }
  }
}

class PinRow {
  constructor(pin, panel) {
    this.panel = panel;
    this.pin = pin;
    this.busy = false;
    this.errorId = uid('gpio-error');
    this.state = h('td', {'data-label': 'State', class: 'num gpio-state', 'aria-live': 'polite'});
    this.error = h('p', {class: 'field-error', id: this.errorId, role: 'alert', hidden: true});
    this.tr = h('tr', {dataset: {pin: pin.name, mode: pin.mode}},
      h('td', {'data-label': 'Pin'}, h('strong', {}, pin.name)),
      h('td', {'data-label': 'Label'}, fmt.dash(pin.label)),
      h('td', {'data-label': 'BCM', class: 'num'}, String(pin.bcm)),
      h('td', {'data-label': 'Mode'}, pin.mode),
      this.state,
      panel.canControl ? h('td', {'data-label': 'Control'}, h('div', {class: 'gpio-controls'}, this.controls()), this.error) : null);
    this.update(pin);
  }

  controls() {
    const name = this.pin.name;
    if (this.pin.mode === 'output') {
      return [
        button('Toggle', () => this.panel.act(this, {action: 'toggle'}),
          {dataset: {action: 'toggle'}, 'aria-label': `Toggle ${name}`, 'aria-describedby': this.errorId}),
        this.numberForm('pulse', `Pulse ${name} for how many milliseconds`, 'ms', {name: 'duration_ms', value: PULSE_DEFAULT_MS,
          min: 1, max: PULSE_MAX_MS, step: 1}, 'Pulse', text => {
          const ms = Number(text);
          return Number.isInteger(ms) && text !== '' ? () => this.panel.pulse(this, ms)
            : `Give the pulse length in whole milliseconds (1 to ${PULSE_MAX_MS}).`;
        }),
      ];
    }
    if (this.pin.mode === 'pwm') {
      return this.numberForm('pwm', `Duty cycle of ${name} in percent`, '%', {name: 'duty', value: this.pin.duty, min: 0, max: 100,
        step: 'any'}, 'Set duty', text => {
        const duty = Number(text);
        return Number.isFinite(duty) && text !== '' ? () => this.panel.act(this, {action: 'pwm', duty})
          : 'Give the duty cycle in percent (0 to 100).';
      });
    }
    return h('span', {class: 'muted'}, 'read only (input)');
  }

  /**
   * A number and a submit button (Enter works too). Range checks are the node's (its 422 shows
   * here); check(text) returns what to run, or a message when the text is no number at all.
   */
  numberForm(action, label, unit, input, submit, check) {
    const id = uid('gpio');
    const field = h('input', {type: 'number', id, inputmode: 'decimal', 'aria-describedby': this.errorId, ...input});
    const form = h('form', {class: 'gpio-form', novalidate: true, dataset: {form: action}},
      h('label', {for: id, class: 'visually-hidden'}, label), field, h('span', {class: 'muted', 'aria-hidden': 'true'}, unit),
      h('button', {type: 'submit', class: 'btn btn-secondary', dataset: {action}}, submit));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const run = check(field.value.trim());
      if (typeof run === 'function') {
        run();
      } else {
        this.showError(run);
      }
    });
    return form;
  }

  update(pin) {
    this.pin = pin;
    if (pin.mode === 'pwm') {
      replace(this.state, h('span', {dataset: {duty: String(pin.duty)}}, `${Number(pin.duty.toFixed(1))} % at ${pin.frequency_hz} Hz`));
    } else {
      replace(this.state, h('span', {class: `badge tone-${pin.value === 'high' ? 'ok' : 'muted'}`, dataset: {value: pin.value}}, pin.value));
    }
  }

  showPulse(ms) {
    this.state.append(h('span', {class: 'sub'}, `pulse: back after ${ms} ms`));
  }

  setBusy(busy) {
    this.busy = busy;
    this.tr.setAttribute('aria-busy', String(busy));
  }

  showError(message) {
    this.error.textContent = message || '';
    this.error.hidden = !message;
  }
}
