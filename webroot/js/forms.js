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
  for (const detail of error.details || []) {
    const name = fieldFor(form, detail.field);
    if (name && fieldError(form, name, explain(form, name, detail))) {
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

/** The validator's words are terse ("String does not match pattern"): say what is expected instead. */
function explain(form, name, detail) {
  const rule = (detail.rule || '').split('/').pop();
  const box = form.querySelector(`.field[data-field="${name}"]`);
  if (rule === 'pattern' && box && box.dataset.pattern) {
    return box.dataset.pattern;
  }
  return detail.message || 'Not a valid value.';
}
