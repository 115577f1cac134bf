// A small time-series chart over Chart.js. Chart.js is loaded only when a chart is first needed (the
// fleet page does without it), from the WebJar in the jar, as its self-contained UMD build: the ES
// module build imports "@kurkle/color" by bare name, which would need an inline import map.

import {h} from './dom.js';

const SCRIPT = '/vendor/chart.js/chart.umd.min.js';
const MAX_POINTS = 600;
/** The x axis spans at least this long, so a fresh bot's first samples do not fill it edge to edge. */
const MIN_SPAN_MS = 60_000;
let loading = null;

export function loadChartJs() {
  if (window.Chart) {
    return Promise.resolve(window.Chart);
  }
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = SCRIPT;
      script.onload = () => resolve(window.Chart);
      script.onerror = () => {
        loading = null;
        script.remove();
        reject(new Error('The chart library could not be loaded.'));
      };
      document.head.append(script);
    });
  }
  return loading;
}

function colors() {
  const style = getComputedStyle(document.documentElement);
  const read = name => style.getPropertyValue(name).trim();
  return {line: read('--accent'), fill: read('--accent-soft'), text: read('--muted'), grid: read('--border')};
}

/** One line over time: points {x: ms since epoch, y: number}. The figure holds the latest value in words too. */
export class TimeChart {
  constructor(title, format, id) {
    this.format = format;
    this.points = [];
    this.latest = h('span', {class: 'chart-latest'}, 'no samples yet');
    this.canvas = h('canvas', {role: 'img', 'aria-label': `${title} over time`});
    this.el = h('figure', {class: 'chart', id, dataset: {points: '0'}},
      h('figcaption', {}, h('span', {class: 'chart-title'}, title), this.latest),
      h('div', {class: 'chart-box'}, this.canvas));
    this.chart = null;
    this.closed = false;
  }

  async start() {
    const Chart = await loadChartJs();
    if (this.closed) {
      return;
    }
    const c = colors();
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: {datasets: [{data: this.points, borderColor: c.line, backgroundColor: c.fill, fill: true, pointRadius: 0, borderWidth: 2,
        tension: 0.2}]},
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: {mode: 'nearest', axis: 'x', intersect: false},
        scales: {
          x: {type: 'linear', ticks: {color: c.text, maxTicksLimit: 5, callback: v => new Date(v).toLocaleTimeString()},
            grid: {color: c.grid}},
          y: {beginAtZero: true, ticks: {color: c.text, maxTicksLimit: 5, callback: v => this.format(v)}, grid: {color: c.grid}},
        },
        plugins: {
          legend: {display: false},
          tooltip: {callbacks: {title: items => new Date(items[0].parsed.x).toLocaleTimeString(), label: item => this.format(item.parsed.y)}},
        },
      },
    });
    this.changed();
    this.media = matchMedia('(prefers-color-scheme: dark)');
    this.onScheme = () => this.recolor();
    this.media.addEventListener('change', this.onScheme);
  }

  set(points) {
    this.points.splice(0, this.points.length, ...points.slice(-MAX_POINTS));
    this.changed();
  }

  add(x, y) {
    const last = this.points[this.points.length - 1];
    if (last && x <= last.x) {
      return;
    }
    this.points.push({x, y});
    if (this.points.length > MAX_POINTS) {
      this.points.shift();
    }
    this.changed();
  }

  changed() {
    const last = this.points[this.points.length - 1];
    this.latest.textContent = last ? `${this.format(last.y)} now · ${this.points.length} samples` : 'no samples yet';
    this.el.dataset.points = String(this.points.length);
    if (this.chart) {
      const first = this.points[0];
      this.chart.options.scales.x.min = first ? Math.min(first.x, last.x - MIN_SPAN_MS) : undefined;
      this.chart.options.scales.x.max = last ? last.x : undefined;
      this.chart.update('none');
    }
  }

  recolor() {
    const c = colors();
    const dataset = this.chart.data.datasets[0];
    dataset.borderColor = c.line;
    dataset.backgroundColor = c.fill;
    for (const axis of Object.values(this.chart.options.scales)) {
      axis.ticks.color = c.text;
      axis.grid.color = c.grid;
    }
    this.chart.update('none');
  }

  close() {
    this.closed = true;
    if (this.media) {
      this.media.removeEventListener('change', this.onScheme);
    }
    if (this.chart) {
      this.chart.destroy();
    }
  }
}
