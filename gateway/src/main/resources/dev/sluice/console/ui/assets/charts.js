// Time-series charts with uPlot (served from its WebJar at /ui/vendor/uplot). Every chart states
// its window and unit in its heading.
import uPlot from '/ui/vendor/uplot/uPlot.esm.js';
import { el } from './app.js';

const COLORS = ['#1f6feb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

/**
 * Draws a line chart into a new card appended to parent and returns { card, plot }.
 * x: epoch seconds; series: [{ label, values }] (null for a gap); title, unit and windowLabel are
 * shown in the heading. data-points on the card tells how many non-null points were drawn (tests
 * and screen readers use it).
 */
export function lineChart(parent, { title, unit, windowLabel, x, series, id }) {
  const card = el('div', { class: 'chart', id: id || null },
    el('h3', {}, title, ' ', el('span', { class: 'unit' }, '(' + unit + (windowLabel ? ', ' + windowLabel : '') + ')')));
  parent.append(card);
  const points = series.reduce((n, s) => n + s.values.filter(v => v !== null && v !== undefined).length, 0);
  card.dataset.points = String(points);
  if (!x.length) {
    card.append(el('p', { class: 'muted' }, 'No requests in this window yet.'));
    return { card, plot: null };
  }
  const width = Math.max(280, Math.min(card.clientWidth || parent.clientWidth || 600, 1400) - 16);
  const opts = {
    width,
    height: 220,
    scales: { x: { time: true } },
    axes: [{}, { label: unit, size: 60 }],
    series: [{}].concat(series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5,
      spanGaps: false, points: { show: x.length < 40 } }))),
    legend: { live: true },
  };
  const plot = new uPlot(opts, [x].concat(series.map(s => s.values)), card);
  return { card, plot };
}
