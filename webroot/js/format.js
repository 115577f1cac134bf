// How numbers, times and JSON look on screen.

export function dash(value) {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/** CPU in percent of one core, as the executor reports it. */
export function cpu(value) {
  return typeof value === 'number' ? `${value < 10 ? value.toFixed(1) : Math.round(value)} %` : '—';
}

export function memory(mb) {
  if (typeof mb !== 'number') {
    return '—';
  }
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const s = Math.floor(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Seconds since an ISO time, or null. */
export function secondsSince(iso, now = Date.now()) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.max(0, (now - t) / 1000);
}

export function time(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : new Date(t).toLocaleTimeString();
}

export function dateTime(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : new Date(t).toLocaleString();
}

/** "12 s ago", "3 min ago", or the date for anything older than a day. */
export function ago(iso, now = Date.now()) {
  const s = secondsSince(iso, now);
  if (s === null) {
    return 'never';
  }
  if (s < 5) {
    return 'just now';
  }
  if (s < 86400) {
    return `${duration(s).split(' ').slice(0, 2).join(' ')} ago`;
  }
  return dateTime(iso);
}

/** Compact one-line JSON for tables; strings as they are. */
export function payload(value, max = 160) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) {
    return '—';
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
