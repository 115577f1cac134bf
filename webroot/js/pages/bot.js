// One bot: status and reason, controls, live log tail, CPU and memory charts, restarts and status history.

import * as api from '../api.js';
import * as live from '../live.js';
import * as session from '../session.js';
import * as fmt from '../format.js';
import {h, replace} from '../dom.js';
import {TimeChart} from '../chart.js';
import {LogView} from '../log-view.js';
import {navigate} from '../router.js';
import {act, button, confirm, errorState, facts, link, pageHeader, section, statusBadge, toast} from '../ui.js';

const HISTORY_MAX = 50;

export function render(main, params, scope) {
  const id = params.id;
  const path = `/api/v1/bots/${encodeURIComponent(id)}`;
  const page = new BotPage(id, path, scope);
  main.append(page.el);
  // Subscribe first and hold events until the first read, so nothing falls between the two.
  const pending = [];
  let ready = false;
  const whenReady = handler => event => (ready ? handler(event) : pending.push(() => handler(event)));
  scope.add(live.subscribe(`bots/${id}`, whenReady(event => page.event(event))));
  scope.add(live.subscribe(`logs/${id}`, whenReady(event => event.type === 'log' && page.logs.add(event.data))));
  scope.add(live.onResync(() => page.load()));
  scope.add(() => page.close());
  scope.every(1000, () => page.tick());
  scope.every(10000, () => document.visibilityState === 'visible' && page.refresh());
  page.load().then(() => {
    ready = true;
    pending.splice(0).forEach(run => run());
  });
}

class BotPage {
  constructor(id, path, scope) {
    this.id = id;
    this.path = path;
    this.scope = scope;
    this.bot = null;
    this.history = [];
    this.heading = pageHeader(id);
    this.actions = h('div', {class: 'actions', id: 'bot-actions'});
    this.statusLine = h('div', {class: 'status-line', 'aria-live': 'polite'});
    this.overview = h('div', {}, h('p', {class: 'loading'}, 'Loading…'));
    this.cpuChart = new TimeChart('CPU', fmt.cpu, 'cpu-chart');
    this.memoryChart = new TimeChart('Memory', fmt.memory, 'memory-chart');
    this.metricsNote = h('p', {class: 'muted', hidden: true});
    this.logs = new LogView();
    this.restarts = h('div', {});
    this.failure = h('div', {});
    this.body = h('div', {class: 'bot-body', hidden: true},
      this.failure,
      section('Overview', this.overview),
      section('CPU and memory', this.metricsNote, h('div', {class: 'charts'}, this.cpuChart.el, this.memoryChart.el)),
      section('Log', this.logs.el),
      section('Restarts and status history', this.restarts));
    this.problem = h('div', {});
    this.el = h('div', {class: 'bot-page'},
      h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'Fleet'), ' / ', id),
      this.heading, this.statusLine, this.actions, this.problem, this.body);
    this.cpuChart.start().catch(error => this.chartsFailed(error));
    this.memoryChart.start().catch(error => this.chartsFailed(error));
  }

  async load() {
    try {
      this.bot = await api.get(this.path);
    } catch (error) {
      if (this.scope.alive) {
        this.body.hidden = true;
        replace(this.problem, error.status === 404
          ? errorState({message: `There is no bot “${this.id}”. It may have been deleted.`, status: 404})
          : errorState(error, () => this.load()));
      }
      return;
    }
    if (!this.scope.alive) {
      return;
    }
    replace(this.problem);
    this.body.hidden = false;
    if (this.history.length === 0) {
      this.remember(this.bot.status, this.bot.reason, this.bot.last_updated);
    }
    this.draw();
    await Promise.all([this.loadMetrics(), this.loadLogs(), this.loadAudit()]);
  }

  /** Re-reads the bot for the fields events do not carry (restart count changes, live CPU when idle). */
  async refresh() {
    try {
      const bot = await api.get(this.path);
      if (this.scope.alive && (!this.bot || (bot.status_version ?? 0) >= (this.bot.status_version ?? 0))) {
        this.bot = bot;
        this.draw();
      }
    } catch {
      // load() reports errors; a failed background refresh keeps what is shown
    }
  }

  async loadMetrics() {
    try {
      const {items} = await api.get(`${this.path}/metrics?limit=300`);
      const points = items.map(s => ({t: Date.parse(s.time), s})).filter(p => !Number.isNaN(p.t));
      this.cpuChart.set(points.map(p => ({x: p.t, y: p.s.cpu_load})));
      this.memoryChart.set(points.map(p => ({x: p.t, y: p.s.memory_usage_mb})));
      this.metricsNote.hidden = true;
    } catch (error) {
      this.metricsNote.textContent = `No samples: ${error.message}`;
      this.metricsNote.hidden = false;
    }
  }

  async loadLogs() {
    try {
      const {items} = await api.get(`${this.path}/logs?tail=200`);
      this.logs.set(items);
    } catch (error) {
      this.logs.showMessage(`No log: ${error.message}`);
    }
  }

  /** Who started, stopped or restarted it: from the audit trail, for roles that may read it. */
  async loadAudit() {
    if (!session.can('audit_read')) {
      return;
    }
    try {
      const {items} = await api.get(`/api/v1/audit?target=${encodeURIComponent(this.id)}&limit=20`);
      this.auditItems = items.filter(r => /^(start|stop|restart|create|update)Bot$/.test(r.action));
      this.drawRestarts();
    } catch {
      this.auditItems = null;
    }
  }

  event(event) {
    if (!this.bot) {
      return;
    }
    if (event.type === 'status') {
      const data = event.data;
      if (typeof data.version === 'number' && typeof this.bot.status_version === 'number' && data.version <= this.bot.status_version) {
        return;
      }
      const running = data.status === 'running';
      Object.assign(this.bot, {
        status: data.status, status_version: data.version, reason: data.reason ?? null,
        pid: running ? data.pid ?? this.bot.pid : null,
        started_at: running ? data.started_at ?? this.bot.started_at : null,
        restarts: data.restarts ?? this.bot.restarts,
        exit_code: data.exit_code !== undefined ? data.exit_code : this.bot.exit_code,
        signal: data.signal !== undefined ? data.signal : this.bot.signal,
        last_lines: data.last_lines ?? (data.status === 'failed' ? this.bot.last_lines : null),
        node: data.node || this.bot.node,
      });
      if (!running) {
        this.bot.cpu_load = null;
        this.bot.memory_usage_mb = null;
      }
      this.remember(data.status, data.reason, data.time || event.timestamp);
      this.draw();
    } else if (event.type === 'metrics' && event.data.sample) {
      const sample = event.data.sample;
      const t = Date.parse(sample.time || event.data.time);
      this.cpuChart.add(t, sample.cpu_load);
      this.memoryChart.add(t, sample.memory_usage_mb);
      this.bot.cpu_load = sample.cpu_load;
      this.bot.memory_usage_mb = sample.memory_usage_mb;
      this.drawOverview();
    }
  }

  remember(status, reason, time) {
    this.history.unshift({status, reason, time: time || new Date().toISOString()});
    this.history.length = Math.min(this.history.length, HISTORY_MAX);
  }

  draw() {
    const bot = this.bot;
    const title = this.heading.querySelector('h1');
    title.textContent = bot.name || bot.id;
    document.title = `${title.textContent} · Codex-32`;
    replace(this.statusLine, statusBadge(bot.status),
      bot.reason ? h('span', {class: 'reason', id: 'bot-reason'}, bot.reason) : null,
      h('span', {class: 'muted'}, `desired: ${bot.desired_state}`));
    this.drawActions();
    this.drawOverview();
    this.drawFailure();
    this.drawRestarts();
  }

  drawActions() {
    const bot = this.bot;
    const busy = ['running', 'starting', 'stopping'].includes(bot.status);
    const idle = bot.desired_state === 'stopped' && ['stopped', 'registered', 'failed'].includes(bot.status);
    const controls = [];
    if (session.can('bots_control')) {
      controls.push(
        button('Start', e => this.command(e.currentTarget, 'start', 'Start requested'), {kind: 'primary', id: 'bot-start', disabled: busy}),
        button('Stop', e => this.confirmThen(e.currentTarget, 'stop'), {id: 'bot-stop', disabled: idle}),
        button('Restart', e => this.confirmThen(e.currentTarget, 'restart'), {id: 'bot-restart', disabled: bot.status !== 'running'}));
    }
    if (session.can('bots_write')) {
      controls.push(link('Edit', `#/bots/${encodeURIComponent(bot.id)}/edit`, {kind: 'secondary', id: 'bot-edit'}),
        button('Delete', e => this.remove(e.currentTarget), {kind: 'danger', id: 'bot-delete'}));
    }
    replace(this.actions, controls);
  }

  drawOverview() {
    const bot = this.bot;
    const running = bot.status === 'running';
    replace(this.overview, facts([
      ['Node', bot.node || `none yet (labels ${Object.entries(bot.placement?.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')})`],
      ['PID', running ? fmt.dash(bot.pid) : '—', 'pid'],
      ['Uptime', running ? fmt.duration(fmt.secondsSince(bot.started_at)) : '—', 'uptime'],
      ['CPU', running ? fmt.cpu(bot.cpu_load) : '—', 'cpu'],
      ['Memory', running ? fmt.memory(bot.memory_usage_mb) : '—', 'memory'],
      ['Restarts', String(bot.restarts ?? 0), 'restarts'],
      ['Last exit', exitText(bot)],
      ['Command', h('code', {}, (bot.command || []).join(' '))],
      ['Role', fmt.dash(bot.role)],
      ['Restart policy', bot.restart ? `${bot.restart.policy || 'on-failure'}` : 'default'],
      bot.description ? ['Description', bot.description] : null,
      bot.last_heartbeat ? ['Last heartbeat', `${fmt.ago(bot.last_heartbeat)}${bot.heartbeat_status ? ` — ${bot.heartbeat_status}` : ''}`] : null,
    ]));
  }

  drawFailure() {
    const lines = this.bot.status === 'failed' && Array.isArray(this.bot.last_lines) ? this.bot.last_lines : null;
    replace(this.failure, lines && lines.length ? h('section', {class: 'card tone-bad-border', role: 'alert'},
      h('h2', {}, 'Last lines before it failed'), h('pre', {class: 'log'}, lines.join('\n'))) : null);
  }

  drawRestarts() {
    const bot = this.bot;
    if (!bot) {
      return;
    }
    replace(this.restarts,
      h('p', {}, `${bot.restarts ?? 0} automatic restart${bot.restarts === 1 ? '' : 's'} since the last start by an operator. `,
        bot.restart ? `Policy ${bot.restart.policy || 'on-failure'}` : 'Default policy (on-failure)',
        bot.restart && bot.restart.max_restarts !== undefined ? `, at most ${bot.restart.max_restarts} within ${bot.restart.window_s ?? 300} s.`
          : '.'),
      h('h3', {}, 'Status changes seen on this page'),
      h('ol', {class: 'history', id: 'status-history'}, this.history.map(entry => h('li', {},
        h('time', {datetime: entry.time}, fmt.time(entry.time)), ' ', statusBadge(entry.status),
        entry.reason ? h('span', {class: 'reason'}, entry.reason) : null))),
      this.auditItems && this.auditItems.length ? [h('h3', {}, 'Operator actions (audit trail)'),
        h('ol', {class: 'history'}, this.auditItems.map(r => h('li', {},
          h('time', {datetime: r.time}, fmt.dateTime(r.time)), ` ${r.actor}: ${r.action.replace(/Bot$/, '')} — ${r.result}`)))] : null);
  }

  tick() {
    if (this.bot && this.bot.status === 'running') {
      const uptime = this.overview.querySelector('[data-fact="uptime"]');
      if (uptime) {
        uptime.textContent = fmt.duration(fmt.secondsSince(this.bot.started_at));
      }
    }
  }

  async command(buttonEl, action, message) {
    const bot = await act(buttonEl, () => api.post(`${this.path}/${action}`), message);
    if (bot && this.scope.alive) {
      this.bot.desired_state = bot.desired_state;
      this.draw();
    }
  }

  async confirmThen(buttonEl, action) {
    const words = {
      stop: ['Stop this bot?', 'The node sends it SIGTERM, then SIGKILL after its stop timeout. It stays stopped until started again.', 'Stop'],
      restart: ['Restart this bot?', 'The running process is stopped and a new one started.', 'Restart'],
    }[action];
    if (await confirm(words[0].replace('this bot', `“${this.bot.name || this.id}”`), words[1], words[2])) {
      await this.command(buttonEl, action, `${words[2]} requested`);
    }
  }

  async remove(buttonEl) {
    const ok = await confirm(`Delete “${this.bot.name || this.id}”?`,
      'It is stopped if it runs, and its spec is removed. Its directory and log files stay on the node.', 'Delete');
    if (ok && await act(buttonEl, () => api.del(`${this.path}?force=true`).then(() => true))) {
      toast(`Bot ${this.id} deleted`);
      navigate('/');
    }
  }

  chartsFailed(error) {
    this.metricsNote.textContent = error.message;
    this.metricsNote.hidden = false;
  }

  close() {
    this.cpuChart.close();
    this.memoryChart.close();
  }
}

function exitText(bot) {
  if (bot.signal) {
    return `signal ${bot.signal}`;
  }
  return bot.exit_code === null || bot.exit_code === undefined ? '—' : `code ${bot.exit_code}`;
}
