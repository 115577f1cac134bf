// One node: its summary (online, labels, capacity and load, bots), live from the "nodes" topic, and
// its GPIO panel.

import * as api from '../api.js';
import * as live from '../live.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {emptyState, errorState, facts, onlineBadge, pageHeader, section, statusBadge} from '../ui.js';
import {GpioPanel} from '../gpio-panel.js';

const REFRESH_MS = 15000;

export function render(main, params, scope) {
  const page = new NodePage(params.id, scope);
  main.append(page.el);
  scope.add(live.subscribe('nodes', event => ['node', 'heartbeat'].includes(event.type) && event.data && event.data.id === params.id
    && page.show(event.data)));
  scope.add(live.subscribe(`gpio/${params.id}`, event => event.type === 'gpio' && page.gpio.edge(event.data)));
  scope.add(live.onResync(() => page.load()));
  scope.every(REFRESH_MS, () => document.visibilityState === 'visible' && page.loadBots());
  page.load();
}

class NodePage {
  constructor(id, scope) {
    this.id = id;
    this.path = `/api/v1/nodes/${encodeURIComponent(id)}`;
    this.scope = scope;
    this.node = null;
    this.overview = h('div', {}, h('p', {class: 'loading'}, 'Loading…'));
    this.bots = h('div', {id: 'node-bots'});
    this.gpio = new GpioPanel(id, scope);
    this.problem = h('div', {});
    this.body = h('div', {},
      section('Overview', this.overview, h('h3', {}, 'Bots on this node'), this.bots),
      this.gpio.el);
    this.el = h('div', {class: 'node-page'},
      h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'Fleet'), ' / ', id),
      pageHeader(id), this.problem, this.body);
  }

  load() {
    return Promise.all([this.loadNode(), this.loadBots(), this.gpio.load()]);
  }

  async loadNode() {
    try {
      const node = await api.get(this.path);
      if (this.scope.alive) {
        replace(this.problem);
        this.body.hidden = false;
        this.show(node);
      }
    } catch (error) {
      if (this.scope.alive && !this.node) {
        this.body.hidden = error.status === 404;
        replace(this.problem, error.status === 404
          ? errorState({message: `No node “${this.id}” has reported to this gateway.`, status: 404})
          : errorState(error, () => this.load()));
      }
    }
  }

  show(node) {
    this.node = {...this.node, ...node};
    const n = this.node;
    const load = n.load || {};
    const capacity = n.capacity || {};
    replace(this.overview, facts([
      ['State', [onlineBadge(n.online), n.online ? null : h('span', {class: 'sub'}, `seen ${fmt.ago(n.last_seen)}`)], 'state'],
      ['Hostname', fmt.dash(n.hostname)],
      ['Version', fmt.dash(n.version)],
      ['Labels', Object.entries(n.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—', 'labels'],
      ['Cores', fmt.dash(capacity.cores)],
      ['CPU', fmt.cpu(load.cpu_percent), 'cpu'],
      ['Memory', fmt.memory(load.memory_used_mb) + (capacity.memory_mb ? ` of ${fmt.memory(capacity.memory_mb)}` : ''), 'memory'],
      ['Load average', typeof load.load_average === 'number' ? load.load_average.toFixed(2) : '—'],
      ['Bots', fmt.dash(n.bots), 'bots'],
      ['Last seen', n.last_seen ? fmt.dateTime(n.last_seen) : 'never'],
    ]));
  }

  async loadBots() {
    try {
      const bots = await api.all(`/api/v1/bots?node=${encodeURIComponent(this.id)}`);
      if (this.scope.alive) {
        replace(this.bots, bots.length === 0
          ? h('p', {class: 'muted'}, 'No bot is placed on this node.')
          : h('ul', {class: 'history'}, bots.map(bot => h('li', {dataset: {bot: bot.id}},
            h('a', {href: `#/bots/${encodeURIComponent(bot.id)}`}, bot.name || bot.id), statusBadge(bot.status)))));
      }
    } catch (error) {
      if (this.scope.alive) {
        replace(this.bots, emptyState('Bots unavailable', error.message));
      }
    }
  }
}
