// Create a bot, or change one. The gateway validates; its errors appear beside the fields they concern.

import * as api from '../api.js';
import * as session from '../session.js';
import {h, replace} from '../dom.js';
import {clearErrors, field, fieldError, formError, showErrors, value} from '../forms.js';
import {navigate} from '../router.js';
import {errorState, forbidden, pageHeader, toast} from '../ui.js';

const NUMBERS = ['restart.max_restarts', 'restart.window_s', 'restart.backoff_initial_ms', 'restart.backoff_max_ms',
  'resources.max_memory_mb', 'resources.max_cpu_percent', 'stop_timeout_ms', 'heartbeat_timeout_s', 'max_runtime_s'];
const CODE_FIELDS = {
  bot_exists: 'id', invalid_id: 'id', invalid_command: 'command', invalid_env: 'env', bot_running: 'placement.node',
};

export function render(main, params, scope) {
  const editing = params.id !== undefined;
  main.append(h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'Fleet'),
    editing ? [' / ', h('a', {href: `#/bots/${encodeURIComponent(params.id)}`}, params.id)] : null));
  if (!session.can('bots_write')) {
    main.append(pageHeader(editing ? `Edit ${params.id}` : 'New bot'), forbidden('create or change bots'));
    return;
  }
  if (!editing) {
    main.append(pageHeader('New bot'), form(null, scope));
    return;
  }
  main.append(pageHeader(`Edit ${params.id}`));
  const slot = h('div', {}, h('p', {class: 'loading'}, 'Loading…'));
  main.append(slot);
  api.call('GET', `/api/v1/bots/${encodeURIComponent(params.id)}`).then(({json, headers}) => {
    if (scope.alive) {
      replace(slot, form({...json, etag: headers.get('ETag')}, scope));
    }
  }, error => scope.alive && replace(slot, errorState(error)));
}

function form(bot, scope) {
  const spec = bot || {};
  const numberField = (label, name, hint) => field(label, name, {value: read(spec, name) ?? '', inputmode: 'numeric', hint});
  const el = h('form', {class: 'card bot-form', novalidate: true, id: 'bot-form'},
    bot ? null : field('Id', 'id', {hint: 'Lowercase letters, digits and dashes, e.g. weather-station. It cannot be changed later.',
      pattern: 'Use lowercase letters, digits and dashes (up to 63), starting with a letter or digit.',
      autocapitalize: 'none', spellcheck: 'false'}),
    field('Name', 'name', {value: spec.name || '', hint: 'What people call it; the id is used when empty.'}),
    field('Command', 'command', {control: 'textarea', value: (spec.command || []).join('\n'), spellcheck: 'false',
      hint: 'One argument per line; the first is the executable. It must be on the node\'s allow-list '
        + '(CODEX32_EXECUTOR_ALLOWED_COMMANDS); give scripts as absolute paths. No shell: quotes and ; are passed as they are.'}),
    field('Description', 'description', {control: 'textarea', value: spec.description || ''}),
    field('Role', 'role', {value: spec.role || '', hint: 'A free label to group bots, e.g. collector.'}),
    h('fieldset', {},
      h('legend', {}, 'Where it runs'),
      field('Node', 'placement.node', {value: spec.placement?.labels ? '' : spec.placement?.node || 'local',
        hint: 'The node that runs it; the gateway\'s own node is local.', pattern: 'Lowercase letters, digits and dashes.'}),
      field('Working directory', 'workdir', {value: spec.workdir || '', hint: 'Relative to the bot\'s directory on the node; empty = the bot directory.'}),
      field('Environment', 'env', {control: 'textarea', value: Object.entries(spec.env || {}).map(([k, v]) => `${k}=${v}`).join('\n'),
        spellcheck: 'false', hint: 'One NAME=value per line. PATH, HOME, LD_* and CODEX32_* are set by the node.',
        pattern: 'Names are letters, digits and _ (not starting with a digit); PATH, HOME, LD_* and CODEX32_* are not allowed.'})),
    h('details', {class: 'advanced'},
      h('summary', {}, 'Restart policy and limits'),
      field('Restart policy', 'restart.policy', {control: 'select', value: spec.restart?.policy || 'on-failure',
        choices: [['on-failure', 'on failure (exit code not 0)'], ['always', 'always'], ['never', 'never']]}),
      h('div', {class: 'grid-2'},
        numberField('Max restarts', 'restart.max_restarts', 'Within the window below; then it stays failed.'),
        numberField('Window (s)', 'restart.window_s'),
        numberField('First backoff (ms)', 'restart.backoff_initial_ms'),
        numberField('Longest backoff (ms)', 'restart.backoff_max_ms'),
        numberField('Max memory (MB)', 'resources.max_memory_mb'),
        numberField('Max CPU (% of one core)', 'resources.max_cpu_percent'),
        numberField('Stop timeout (ms)', 'stop_timeout_ms', 'SIGKILL after this long.'),
        numberField('Heartbeat timeout (s)', 'heartbeat_timeout_s', '0 = no heartbeats required.'),
        numberField('Max runtime (s)', 'max_runtime_s', '0 = no limit.'))),
    h('p', {class: 'form-error', role: 'alert', tabindex: '-1', hidden: true}),
    h('div', {class: 'actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, bot ? 'Save changes' : 'Create bot'),
      h('a', {href: bot ? `#/bots/${encodeURIComponent(bot.id)}` : '#/', class: 'btn btn-secondary'}, 'Cancel')));

  el.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(el);
    const next = readForm(el);
    if (!next) {
      return;
    }
    const submit = el.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      if (bot) {
        const changes = mergePatch(bot, next);
        if (Object.keys(changes).length > 0) {
          await api.patch(`/api/v1/bots/${encodeURIComponent(bot.id)}`, changes, bot.etag ? {'If-Match': bot.etag} : {});
        }
        toast('Changes saved. A running bot uses them from its next start or restart.');
        navigate(`/bots/${encodeURIComponent(bot.id)}`);
      } else {
        const created = await api.post('/api/v1/bots', next);
        toast(`Bot ${created.id} created. Start it when you are ready.`);
        navigate(`/bots/${encodeURIComponent(created.id)}`);
      }
    } catch (error) {
      if (!scope.alive) {
        return;
      }
      if (error.code === 'revision_conflict') {
        formError(el, 'Someone changed this bot while you were editing. Reload the page to see their changes, then edit again.');
      } else {
        showErrors(el, error, CODE_FIELDS);
      }
    } finally {
      submit.disabled = false;
    }
  });
  return el;
}

/** The spec the form describes, or null after marking what cannot be read. */
function readForm(el) {
  const spec = {};
  const idInput = el.querySelector('[name="id"]');
  if (idInput) {
    spec.id = idInput.value.trim();
  }
  for (const name of ['name', 'description', 'role', 'workdir']) {
    if (value(el, name)) {
      spec[name] = value(el, name);
    }
  }
  const command = el.querySelector('[name="command"]').value.split('\n').map(s => s.trim()).filter(Boolean);
  if (command.length === 0) {
    fieldError(el, 'command', 'Give at least the executable, e.g. python3 on the first line and the script on the next.');
    return null;
  }
  spec.command = command;
  const env = {};
  for (const line of el.querySelector('[name="env"]').value.split('\n').map(s => s.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) {
      fieldError(el, 'env', `Write each variable as NAME=value (not “${line}”).`);
      return null;
    }
    env[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  if (Object.keys(env).length) {
    spec.env = env;
  }
  if (value(el, 'placement.node')) {
    spec.placement = {node: value(el, 'placement.node')};
  }
  spec.restart = {policy: value(el, 'restart.policy')};
  for (const name of NUMBERS) {
    const text = value(el, name);
    if (text === '') {
      continue;
    }
    // Anything that is not a number goes as written: the gateway's answer says what it expects.
    const parsed = Number(text);
    write(spec, name, Number.isFinite(parsed) && /^-?\d+(\.\d+)?$/.test(text) ? parsed : text);
  }
  return spec;
}

/** An RFC 7396 merge patch from the bot as loaded to the spec in the form: changed fields, removals as null. */
function mergePatch(bot, next) {
  const patch = {};
  for (const key of ['name', 'description', 'role', 'command', 'workdir', 'placement', 'restart', 'resources',
    'stop_timeout_ms', 'heartbeat_timeout_s', 'max_runtime_s']) {
    if (same(bot[key], next[key])) {
      continue;
    }
    if (next[key] !== undefined) {
      patch[key] = next[key];
    } else if (key === 'description' || key === 'role') {
      patch[key] = null;
    }
  }
  const before = bot.env || {};
  const after = next.env || {};
  const env = {};
  Object.keys(before).filter(k => !(k in after)).forEach(k => {
    env[k] = null;
  });
  Object.entries(after).filter(([k, v]) => before[k] !== v).forEach(([k, v]) => {
    env[k] = v;
  });
  if (Object.keys(env).length) {
    patch.env = env;
  }
  return patch;
}

/** Equal, where an object from the form counts as equal when the bot has the same value for each of its keys. */
function same(before, after) {
  if (after && typeof after === 'object' && !Array.isArray(after) && before && typeof before === 'object') {
    return Object.entries(after).every(([k, v]) => same(before[k], v));
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null);
}

function read(object, path) {
  return path.split('.').reduce((o, key) => (o === undefined || o === null ? undefined : o[key]), object);
}

function write(object, path, v) {
  const keys = path.split('.');
  let target = object;
  keys.slice(0, -1).forEach(key => {
    target[key] = target[key] || {};
    target = target[key];
  });
  target[keys[keys.length - 1]] = v;
}
