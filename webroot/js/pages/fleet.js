// The fleet: nodes (online, load, bots; each links to its page) and every bot (status, node, CPU, memory, uptime), live.
// Status changes arrive on the "bots" topic; CPU and memory come with a re-read of the list every few
// seconds (the gateway streams metrics per bot only, and a connection may hold 100 topics).

import * as api from '../api.js';
import * as live from '../live.js';
import * as session from '../session.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {emptyState, errorState, link, onlineBadge, pageHeader, section, statusBadge} from '../ui.js';

const REFRESH_MS = 5000;
const NODES_REFRESH_MS = 15000;
const STATUSES = ['running', 'starting', 'restarting', 'stopping', 'stopped', 'failed', 'registered', 'deploying', 'unknown'];

export function render(main, params, scope) {
  const canWrite = session.can('bots_write');
  const summary = h('p', {class: 'summary', 'aria-live': 'polite'});
  const nodesBody = h('div', {}, h('p', {class: 'loading'}, 'Loading nodes…'));
  const botsBody = h('div', {}, h('p', {class: 'loading'}, 'Loading bots…'));
  const search = h('input', {type: 'search', id: 'bot-filter', placeholder: 'Filter by name or id', 'aria-label': 'Filter bots'});
  const statusFilter = h('select', {id: 'status-filter', 'aria-label': 'Show bots with status'},
    h('option', {value: ''}, 'All statuses'), STATUSES.map(s => h('option', {value: s}, s)));
  main.append(
    pageHeader('Fleet', canWrite ? link('New bot', '#/bots/new', {kind: 'primary', id: 'new-bot'}) : null),
    summary,
    section('Nodes', nodesBody),
    h('section', {class: 'card', 'aria-labelledby': 'bots-title'},
      h('div', {class: 'card-header'}, h('h2', {id: 'bots-title'}, 'Bots'),
        h('div', {class: 'filters'}, search, statusFilter)),
      botsBody));

  const table = new BotTable(botsBody, summary, canWrite);
  search.addEventListener('input', () => table.filter(search.value, statusFilter.value));
  statusFilter.addEventListener('change', () => table.filter(search.value, statusFilter.value));

  const loadBots = () => api.all('/api/v1/bots').then(bots => {
    if (scope.alive) {
      performance.mark('codex32:bots-loaded');
      table.show(bots);
      performance.mark('codex32:bots-shown');
    }
  }, error => {
    if (scope.alive) {
      table.fail(error, loadBots);
    }
  });
  const nodes = new NodeList(nodesBody);
  const loadNodes = () => api.get('/api/v1/nodes').then(page => scope.alive && nodes.show(page.items), error => {
    if (scope.alive) {
      nodes.fail(error, loadNodes);
    }
  });
  scope.add(live.subscribe('bots', event => {
    if (event.type === 'status' && !table.applyStatus(event.data)) {
      loadBots();
    }
  }));
  scope.add(live.subscribe('nodes', event => nodes.apply(event)));
  scope.add(live.onResync(() => {
    loadBots();
    loadNodes();
  }));
  scope.every(REFRESH_MS, () => document.visibilityState === 'visible' && loadBots());
  scope.every(NODES_REFRESH_MS, () => document.visibilityState === 'visible' && loadNodes());
  scope.every(1000, () => table.tick());
  loadBots();
  loadNodes();
}

/** The bots table, updated in place so focus and scroll survive live updates. */
class BotTable {
  constructor(container, summary, canWrite) {
    this.container = container;
    this.summaryEl = summary;
    this.canWrite = canWrite;
    this.rows = new Map();
    this.tbody = null;
    this.query = '';
    this.status = '';
  }

  show(bots) {
    if (bots.length === 0) {
      this.rows.clear();
      this.tbody = null;
      replace(this.container, emptyState('No bots yet',
        'A bot is any long-running program — a script, an agent, a sensor daemon — that a node runs and restarts for you. '
        + 'Its executable must be allowed on the node (CODEX32_EXECUTOR_ALLOWED_COMMANDS).',
        this.canWrite ? link('Create your first bot', '#/bots/new', {kind: 'primary'}) : h('p', {}, 'Ask an operator to create one.')));
      this.summarize();
      return;
    }
    if (!this.tbody) {
      this.tbody = h('tbody', {});
      this.noMatch = h('p', {class: 'muted', hidden: true}, 'No bot matches the filter.');
      replace(this.container, h('div', {class: 'table-wrap'},
        h('table', {class: 'table responsive fixed', id: 'bots-table'},
          h('thead', {}, h('tr', {}, ['Bot', 'Status', 'Node', 'CPU', 'Memory', 'Uptime'].map(t => h('th', {scope: 'col'}, t)))),
          this.tbody)), this.noMatch);
      this.firstRender = true;
    }
    const seen = new Set();
    const fragment = document.createDocumentFragment();
    for (const bot of bots) {
      seen.add(bot.id);
      let row = this.rows.get(bot.id);
      if (!row) {
        row = new BotRow(bot);
        this.rows.set(bot.id, row);
      } else {
        row.update(bot);
      }
      fragment.append(row.tr);
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        this.rows.delete(id);
      }
    }
    this.tbody.append(fragment);
    this.filter(this.query, this.status);
    this.summarize();
    if (this.firstRender) {
      // For the benchmark (docs/benchmarks.md): time from navigation start to the first frame showing the list.
      this.firstRender = false;
      requestAnimationFrame(() => setTimeout(() => {
        performance.mark('codex32:fleet-rendered');
        document.documentElement.dataset.fleetRenderedMs = String(Math.round(performance.now()));
      }));
    }
  }

  fail(error, retry) {
    if (this.rows.size === 0) {
      replace(this.container, errorState(error, retry));
    }
  }

  /** A status event; false when the bot is not shown yet (the caller reloads the list). */
  applyStatus(data) {
    const row = this.rows.get(data.bot_id);
    if (!row) {
      return false;
    }
    row.applyStatus(data);
    this.filter(this.query, this.status);
    this.summarize();
    return true;
  }

  tick() {
    this.rows.forEach(row => row.tickUptime());
  }

  filter(query, status) {
    this.query = query;
    this.status = status;
    const q = query.trim().toLowerCase();
    let visible = 0;
    for (const row of this.rows.values()) {
      const show = (!q || row.text.includes(q)) && (!status || row.bot.status === status);
      row.tr.hidden = !show;
      visible += show ? 1 : 0;
    }
    if (this.noMatch) {
      this.noMatch.hidden = visible > 0 || this.rows.size === 0;
    }
  }

  summarize() {
    const counts = {};
    this.rows.forEach(row => {
      counts[row.bot.status] = (counts[row.bot.status] || 0) + 1;
    });
    const parts = ['running', 'failed', 'restarting'].filter(s => counts[s]).map(s => `${counts[s]} ${s}`);
    this.summaryEl.textContent = this.rows.size === 0 ? '' : `${this.rows.size} bot${this.rows.size === 1 ? '' : 's'}`
      + (parts.length ? ` · ${parts.join(' · ')}` : '');
  }
}

/** Rows are clones of one prototype: much cheaper than building 200 rows element by element. */
const ROW = h('tr', {},
  h('td', {'data-label': 'Bot'}, h('a', {})),
  h('td', {'data-label': 'Status'}),
  h('td', {'data-label': 'Node'}),
  h('td', {'data-label': 'CPU', class: 'num'}),
  h('td', {'data-label': 'Memory', class: 'num'}),
  h('td', {'data-label': 'Uptime', class: 'num'}));

class BotRow {
  constructor(bot) {
    this.tr = ROW.cloneNode(true);
    this.tr.dataset.bot = bot.id;
    const [name, status, node, cpu, memory, uptime] = this.tr.children;
    this.nameLink = name.firstChild;
    this.nameLink.href = `#/bots/${encodeURIComponent(bot.id)}`;
    this.cells = {name, status, node, cpu, memory, uptime};
    this.update(bot);
  }

  update(bot) {
    this.bot = bot;
    this.text = `${bot.id} ${bot.name || ''}`.toLowerCase();
    replace(this.nameLink, bot.name && bot.name !== bot.id ? bot.name : bot.id,
      bot.name && bot.name !== bot.id ? h('span', {class: 'sub'}, bot.id) : null);
    this.renderStatus();
    this.cells.node.textContent = fmt.dash(bot.node || placementText(bot.placement));
    this.cells.cpu.textContent = bot.status === 'running' ? fmt.cpu(bot.cpu_load) : '—';
    this.cells.memory.textContent = bot.status === 'running' ? fmt.memory(bot.memory_usage_mb) : '—';
    this.tickUptime();
  }

  applyStatus(data) {
    if (typeof this.bot.status_version === 'number' && typeof data.version === 'number' && data.version <= this.bot.status_version) {
      return;
    }
    const running = data.status === 'running';
    this.update({
      ...this.bot,
      status: data.status,
      status_version: data.version,
      reason: data.reason ?? null,
      node: data.node || this.bot.node,
      started_at: running ? data.started_at ?? this.bot.started_at : null,
      cpu_load: running ? this.bot.cpu_load : null,
      memory_usage_mb: running ? this.bot.memory_usage_mb : null,
    });
  }

  renderStatus() {
    replace(this.cells.status, statusBadge(this.bot.status),
      this.bot.reason && this.bot.status !== 'running' ? h('span', {class: 'sub reason'}, this.bot.reason) : null);
  }

  tickUptime() {
    const since = this.bot.status === 'running' ? fmt.secondsSince(this.bot.started_at) : null;
    this.cells.uptime.textContent = since === null ? '—' : fmt.duration(since);
  }
}

function placementText(placement) {
  if (!placement) {
    return 'local';
  }
  if (placement.node) {
    return placement.node;
  }
  return placement.labels ? Object.entries(placement.labels).map(([k, v]) => `${k}=${v}`).join(', ') : null;
}

/** The nodes: from GET /api/v1/nodes and the "nodes" topic; a gateway without that API says so. */
class NodeList {
  constructor(container) {
    this.container = container;
    this.nodes = new Map();
    this.available = true;
  }

  show(items) {
    this.available = true;
    this.nodes = new Map(items.map(node => [node.id, node]));
    this.draw();
  }

  fail(error, retry) {
    if (error.status === 404) {
      this.available = false;
      replace(this.container, emptyState('No node information',
        'This gateway does not report its nodes yet. Bots still run on the node named in their placement (local by default).'));
    } else if (this.nodes.size === 0) {
      replace(this.container, errorState(error, retry));
    }
  }

  apply(event) {
    const node = event.data;
    if (!this.available || !node || !node.id || (event.type !== 'node' && event.type !== 'heartbeat')) {
      return;
    }
    this.nodes.set(node.id, {...this.nodes.get(node.id), ...node});
    this.draw();
  }

  draw() {
    if (this.nodes.size === 0) {
      replace(this.container, emptyState('No nodes yet',
        'No node has reported to this gateway. The gateway\'s own node appears once its executor is running; '
        + 'edge nodes appear when they join.'));
      return;
    }
    const rows = [...this.nodes.values()].sort((a, b) => a.id.localeCompare(b.id)).map(node => {
      const load = node.load || {};
      const capacity = node.capacity || {};
      return h('tr', {dataset: {node: node.id}},
        h('td', {'data-label': 'Node'}, h('a', {href: `#/nodes/${encodeURIComponent(node.id)}`}, node.id),
          node.hostname && node.hostname !== node.id ? h('span', {class: 'sub'}, node.hostname) : null),
        h('td', {'data-label': 'State'}, onlineBadge(node.online), node.online ? null : h('span', {class: 'sub'}, `seen ${fmt.ago(node.last_seen)}`)),
        h('td', {'data-label': 'CPU', class: 'num'}, fmt.cpu(load.cpu_percent)),
        h('td', {'data-label': 'Memory', class: 'num'}, `${fmt.memory(load.memory_used_mb)}`
          + (capacity.memory_mb ? ` of ${fmt.memory(capacity.memory_mb)}` : '')),
        h('td', {'data-label': 'Load', class: 'num'}, typeof load.load_average === 'number' ? load.load_average.toFixed(2) : '—'),
        h('td', {'data-label': 'Bots', class: 'num'}, fmt.dash(node.bots)),
        h('td', {'data-label': 'Version'}, fmt.dash(node.version)));
    });
    replace(this.container, h('div', {class: 'table-wrap'}, h('table', {class: 'table responsive', id: 'nodes-table'},
      h('thead', {}, h('tr', {}, ['Node', 'State', 'CPU', 'Memory', 'Load', 'Bots', 'Version'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, rows))));
  }
}
