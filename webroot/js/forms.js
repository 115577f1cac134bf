// Form fields with a place for an error beside each, and the gateway's validation errors put there.

import {h, uid} from './dom.js';

/**
 * A labelled control. name is the field's path in the request body ("restart.max_restarts"), which is
 * how the gateway's errors find it. options: type, value, hint, control ('input'|'textarea'|'select'),
 * choices (for select), pattern (human words for the format, used when the server says "pattern").
 */
export function field(label, name, options = {}) {
  const {type = 'text', value = '', hint = null, control = 'input', choices = [], pattern = '', ...attrs} = options;
  const id = uid('f');
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  let input;
  const common = {id, name, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...attrs};
  if (control === 'textarea') {
    input = h('textarea', {rows: 3, ...common});
    input.value = value;
  } else if (control === 'select') {
    input = h('select', common, choices.map(([v, text]) => h('option', {value: v, selected: v === value}, text)));
  } else {
    input = h('input', {type, value, ...common});
  }
  return h('div', {class: 'field', dataset: {field: name, pattern}},
    h('label', {for: id}, label),
    input,
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    h('p', {class: 'field-error', id: errorId, hidden: true}));
}

export function value(form, name) {
  const input = form.querySelector(`[name="${name}"]`);
  return input ? input.value.trim() : '';
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(el => {
    el.hidden = true;
    el.textContent = '';
  });
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  const summary = form.querySelector('.form-error');
  if (summary) {
    summary.hidden = true;
    summary.textContent = '';
  }
}

/** Puts one message beside a field; false when the form has no such field. */
export function fieldError(form, name, message) {
  const box = form.querySelector(`.field[data-field="${name}"]`);
  if (!box) {
    return false;
  }
  const error = box.querySelector('.field-error');
  error.textContent = message;
  error.hidden = false;
  box.querySelector('input, textarea, select').setAttribute('aria-invalid', 'true');
  return true;
}

/** The message above the submit button, for errors that belong to no single field. */
export function formError(form, message) {
  const summary = form.querySelector('.form-error');
  summary.textContent = message;
  summary.hidden = false;
  summary.focus();
}

/**
 * Shows an ApiError: each schema detail beside its field (its JSON pointer "#/restart/max_restarts" is
 * the field "restart.max_restarts", or the nearest enclosing one), codes listed in codeFields beside
 * theirs, anything else above the button. Focuses the first invalid field.
 */
export function showErrors(form, error, codeFields = {}) {
  clearErrors(form);
  let placed = 0;
  for (const [name, detail] of mostSpecific(form, error.details || [])) {
    if (fieldError(form, name, explain(form, name, detail))) {
      placed += 1;
    }
  }
  if (placed === 0 && codeFields[error.code] && fieldError(form, codeFields[error.code], error.message)) {
    placed += 1;
  }
  if (placed === 0) {
    formError(form, error.status === 400 && error.details.length === 0 ? error.message : describe(error));
  } else {
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus();
    }
  }
}

/** Rules that only repeat that something below failed ("Property x does not match schema", "unknown field x"). */
const GENERIC = new Set(['properties', 'unevaluatedProperties', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', '$ref']);

/**
 * One detail per field: the most telling rule reported for it. Generic ones count only when nothing
 * specific was reported at all: once a field fails, the validator also calls every other field of the
 * body "unknown" (unevaluatedProperties after a failed allOf), which would blame valid fields.
 */
function mostSpecific(form, details) {
  const specific = details.filter(detail => !GENERIC.has(keyword(detail)));
  const chosen = new Map();
  for (const detail of specific.length ? specific : details) {
    const name = fieldFor(form, detail.field);
    if (name && !chosen.has(name)) {
      chosen.set(name, detail);
    }
  }
  return chosen;
}

function keyword(detail) {
  return (detail.rule || '').split('/').pop();
}

function describe(error) {
  if (error.details && error.details.length) {
    return `${error.message}: ${error.details.map(d => `${d.field || ''} ${d.message || ''}`.trim()).join('; ')}`;
  }
  return error.message;
}

function fieldFor(form, pointer) {
  if (!pointer) {
    return null;
  }
  const parts = pointer.replace(/^#\/?/, '').split('/').filter(Boolean).map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = parts.length; n > 0; n -= 1) {
    const name = parts.slice(0, n).join('.');
    if (form.querySelector(`.field[data-field="${name}"]`)) {
      return name;
    }
  }
  return null;
}

/** The validator's words are terse ("Array has too few items ( + 0 < 1)"): say what is expected instead. */
function explain(form, name, detail) {
  const rule = detail.rule || '';
  const message = detail.message || '';
  const box = form.querySelector(`.field[data-field="${name}"]`);
  const format = box && box.dataset.pattern;
  const bound = message.match(/is (less|greater) than (?:or equal to )?(-?[\d.]+)/);
  switch (keyword(detail)) {
    case 'pattern':
    case 'propertyNames':
    case 'not':
      return format || 'Has characters that are not allowed here.';
    case 'minimum':
    case 'exclusiveMinimum':
      return bound ? `Must be at least ${bound[2]}.` : 'Too small.';
    case 'maximum':
    case 'exclusiveMaximum':
      return bound ? `Must be at most ${bound[2]}.` : 'Too large.';
    case 'type': {
      const expected = (message.match(/Expected (\w+)/) || [])[1];
      return {integer: 'Must be a whole number.', number: 'Must be a number.'}[expected] || `Must be a${expected ? ` ${expected}` : ' different type'}.`;
    }
    case 'enum': {
      const choices = (message.match(/\[(.*)\]/) || [])[1];
      return choices ? `Choose one of ${choices.replace(/"/g, '').replace(/,/g, ', ')}.` : 'Not one of the allowed values.';
    }
    case 'minItems':
      return 'Give at least one.';
    case 'maxItems':
    case 'maxProperties':
      return 'Too many entries.';
    case 'minLength':
      return 'Must not be empty.';
    case 'maxLength':
      return 'Too long.';
    case 'required':
      return 'Required.';
    default:
      return rule.includes('propertyNames') && format ? format : message || 'Not a valid value.';
  }
}
