// Hash routes ("#/bots/weather-station"): deep links work from the static server without fallbacks.

/** The route part of the location: {path, query}, or null for a plain in-page anchor such as "#main". */
export function current() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) {
    return null;
  }
  const [path, search = ''] = hash.slice(1).split('?');
  return {path: path || '/', query: new URLSearchParams(search)};
}

export function navigate(path, {replace = false} = {}) {
  const target = `#${path}`;
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (replace) {
    location.replace(target);
  } else {
    location.hash = target;
  }
}

/** Finds the page for path among [pattern, page] pairs; ":name" segments become params. */
export function match(routes, path) {
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, page] of routes) {
    const expected = pattern.split('/').filter(Boolean);
    if (expected.length !== parts.length) {
      continue;
    }
    const params = {};
    const ok = expected.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return segment === parts[i];
    });
    if (ok) {
      return {page, params};
    }
  }
  return null;
}

/** What a page registers while it is shown; closed when the next page replaces it. */
export class Scope {
  constructor() {
    this.alive = true;
    this.cleanups = [];
  }

  add(cleanup) {
    this.cleanups.push(cleanup);
  }

  every(ms, fn) {
    const timer = setInterval(fn, ms);
    this.add(() => clearInterval(timer));
  }

  close() {
    this.alive = false;
    this.cleanups.splice(0).forEach(cleanup => cleanup());
  }
}
