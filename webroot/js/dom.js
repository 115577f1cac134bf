// Building DOM nodes from data. Text always goes in as text nodes, never as HTML, so nothing a bot
// prints or a device sends can inject markup (and the CSP forbids inline script and style anyway).

/**
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'Stop'}, 'Stop') → element.
 * Attributes: class, dataset (object), on<event> (function), boolean true → present, false/null → absent.
 * Children: strings, numbers, nodes, arrays of those; null and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value' && 'value' in el) {
      el.value = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function show(el, visible) {
  el.hidden = !visible;
}

let ids = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}
