// A live log tail: newest at the bottom, follows new lines unless you scrolled up, pause (new lines
// wait and are counted), and search (only matching lines, matches marked).

import {h, replace, uid} from './dom.js';

const MAX_LINES = 1000;

export class LogView {
  constructor() {
    const searchId = uid('log-search');
    this.lines = [];
    this.waiting = [];
    this.paused = false;
    this.query = '';
    this.lastSeq = -1;
    this.search = h('input', {type: 'search', id: searchId, placeholder: 'Search the log', class: 'log-search'});
    this.pauseButton = h('button', {type: 'button', class: 'btn btn-secondary', 'aria-pressed': 'false', id: 'log-pause'}, 'Pause');
    this.state = h('span', {class: 'log-state muted', 'aria-live': 'polite'});
    this.list = h('div', {class: 'log', id: 'log-lines', role: 'log', 'aria-live': 'off', 'aria-label': 'Log lines', tabindex: '0'});
    this.empty = h('p', {class: 'muted log-empty'}, 'No output yet.');
    this.el = h('div', {class: 'log-view'},
      h('div', {class: 'log-toolbar'},
        h('label', {for: searchId, class: 'visually-hidden'}, 'Search the log'), this.search, this.pauseButton, this.state),
      this.empty, this.list);
    this.search.addEventListener('input', () => {
      this.query = this.search.value.trim().toLowerCase();
      this.redraw();
    });
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
  }

  /** The lines already written (oldest first); live lines with a sequence number at or below the last are skipped. */
  set(lines) {
    this.lines = [];
    this.waiting = [];
    lines.forEach(line => this.keep(line));
    this.redraw();
    this.scrollToEnd();
  }

  add(line) {
    if (typeof line.seq === 'number' && line.seq <= this.lastSeq) {
      return;
    }
    if (this.paused) {
      this.waiting.push(line);
      if (this.waiting.length > MAX_LINES) {
        this.waiting.shift();
      }
      if (typeof line.seq === 'number') {
        this.lastSeq = line.seq;
      }
      this.showState();
      return;
    }
    const follow = this.atEnd();
    this.keep(line);
    this.appendRow(line);
    this.trim();
    this.showState();
    if (follow) {
      this.scrollToEnd();
    }
  }

  showMessage(text) {
    this.empty.textContent = text;
    this.empty.hidden = false;
  }

  keep(line) {
    this.lines.push(line);
    if (typeof line.seq === 'number') {
      this.lastSeq = Math.max(this.lastSeq, line.seq);
    }
    if (this.lines.length > MAX_LINES) {
      this.lines.shift();
    }
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      const waiting = this.waiting.splice(0);
      waiting.forEach(line => this.keep(line));
      this.redraw();
      this.scrollToEnd();
    }
    this.showState();
  }

  redraw() {
    replace(this.list, this.lines.filter(line => this.matches(line)).map(line => this.row(line)));
    this.showState();
  }

  appendRow(line) {
    if (this.matches(line)) {
      this.list.append(this.row(line));
    }
  }

  trim() {
    while (this.list.childElementCount > MAX_LINES) {
      this.list.firstElementChild.remove();
    }
  }

  matches(line) {
    return !this.query || String(line.line).toLowerCase().includes(this.query);
  }

  row(line) {
    return h('div', {class: `log-line ${line.stream === 'stderr' ? 'stderr' : ''}`},
      h('time', {datetime: line.time}, line.time ? new Date(line.time).toLocaleTimeString() : ''),
      h('span', {class: 'log-text'}, this.highlight(String(line.line))));
  }

  highlight(text) {
    if (!this.query) {
      return text;
    }
    const parts = [];
    const lower = text.toLowerCase();
    let from = 0;
    for (let at = lower.indexOf(this.query); at >= 0; at = lower.indexOf(this.query, from)) {
      parts.push(text.slice(from, at), h('mark', {}, text.slice(at, at + this.query.length)));
      from = at + this.query.length;
    }
    parts.push(text.slice(from));
    return parts;
  }

  showState() {
    this.empty.hidden = this.lines.length > 0 || this.waiting.length > 0;
    const shown = this.list.childElementCount;
    const words = [];
    if (this.query) {
      words.push(`${shown} matching line${shown === 1 ? '' : 's'}`);
    }
    if (this.paused) {
      words.push(`paused, ${this.waiting.length} new line${this.waiting.length === 1 ? '' : 's'} waiting`);
    }
    this.state.textContent = words.join(' · ');
  }

  atEnd() {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 24;
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
