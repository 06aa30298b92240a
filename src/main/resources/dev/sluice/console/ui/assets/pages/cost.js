// Cost: spend by day / model / provider / team (GET /admin/spend), spend per day as a chart
// (GET /admin/stats?metric=cost), what routing and the providers' prompt caches saved
// (GET /admin/cost/savings), and the `sluice cost estimate` / `cost replay` forms
// (POST /admin/cost/estimate, POST /admin/cost/replay). A client-key session sees its own spend
// only (GET /v1/sluice/key, GET /v1/sluice/spend); the savings and forms are admin-only.
import { api, el, show, empty, failure, fmtUsd, fmtInt } from '../app.js';
import { lineChart } from '../charts.js';

const WINDOWS = [
  { id: 'today', label: 'today (UTC)' },
  { id: '7d', label: 'last 7 days' },
  { id: '30d', label: 'last 30 days' },
  { id: 'month', label: 'this month (UTC)' },
];
const DAY = 86400000;

/** The window's start as an ISO instant: whole UTC days, so the daily chart and tables line up. */
function windowStart(id, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (id) {
    case 'today': return new Date(today).toISOString();
    case '7d': return new Date(today - 6 * DAY).toISOString();
    case 'month': return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    default: return new Date(today - 29 * DAY).toISOString();
  }
}

function card(label, value, attrs = {}) {
  return el('div', Object.assign({ class: 'card' }, attrs), el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value));
}

/** A spend report (GET /admin/spend or /v1/sluice/spend) as a table; its id is spend-by-<group>. */
function spendTable(report, groupLabel, next) {
  const rows = report.data || [];
  if (!rows.length) return empty('No spend recorded in this window.', next);
  return el('div', { class: 'table-wrap' }, el('table', { id: 'spend-by-' + report.group_by },
    el('thead', {}, el('tr', {}, el('th', {}, groupLabel), el('th', {}, 'Requests'), el('th', {}, 'Attempts'),
      el('th', {}, 'Input tokens'), el('th', {}, 'Output tokens'), el('th', {}, 'Cost'), el('th', {}, 'Of which overhead'),
      el('th', {}, 'Unpriced attempts'))),
    el('tbody', {}, rows.map(r => el('tr', { 'data-group': r.group === null ? '' : r.group },
      el('td', {}, r.group === null ? '(none)' : r.group), el('td', {}, fmtInt(r.requests)),
      el('td', {}, fmtInt(r.attempts)), el('td', {}, fmtInt(r.tokens.input)), el('td', {}, fmtInt(r.tokens.output)),
      el('td', { 'data-usd': r.cost_usd }, fmtUsd(r.cost_usd)), el('td', {}, fmtUsd(r.overhead_cost_usd)),
      el('td', {}, fmtInt(r.unpriced_attempts)))))));
}

/**
 * Spend per UTC day as a chart over the whole window; points are {t, usd}. A day with no recorded
 * spend is drawn as $0 (nothing was spent), so the x axis always spans the window.
 */
function dayChart(parent, points, title, windowLabel, from) {
  const byDay = new Map(points.map(p => [Math.floor(Date.parse(p.t) / DAY), Number(p.usd)]));
  const x = [];
  const values = [];
  for (let d = Math.floor(Date.parse(from) / DAY); d <= Math.floor(Date.now() / DAY); d++) {
    x.push(d * 86400);
    values.push(byDay.has(d) ? byDay.get(d) : 0);
  }
  lineChart(parent, { id: 'spend-chart', title, unit: 'USD', windowLabel: windowLabel + ', per UTC day',
    x: points.length ? x : [], series: [{ label: 'spend', values: points.length ? values : [] }] });
}

function windowPicker(current, onChange) {
  const select = el('select', { id: 'cost-window', onchange: e => onChange(e.target.value) },
    WINDOWS.map(w => el('option', { value: w.id, selected: w.id === current }, w.label)));
  return el('div', { class: 'filters' }, el('label', {}, 'Window', select));
}

export default {
  async render(main, { session }) {
    let windowId = '30d';
    const body = el('div', { id: 'cost-body' });
    const forms = session.role === 'admin' ? el('div', { id: 'cost-forms' }, estimateForm(), replayForm()) : null;
    const draw = async () => {
      show(body, el('p', { class: 'muted' }, 'Loading…'));
      const label = WINDOWS.find(w => w.id === windowId).label;
      const from = windowStart(windowId);
      body.dataset.from = from; // the window's start, as sent to the API (tests ask the API the same)
      try {
        const view = session.role === 'admin' ? await adminView(from, label) : await clientView(from, label);
        show(body, view.nodes);
        dayChart(view.charts, view.points, view.title, label, from);
      } catch (e) {
        show(body, failure(e));
      }
    };
    show(main, el('h1', {}, 'Cost'), windowPicker(windowId, v => { windowId = v; draw(); }), body, forms);
    await draw();
  },
};

async function adminView(from, label) {
  const q = g => api('/admin/spend', { query: { group_by: g, from } });
  const [byDay, byModel, byProvider, byTeam, stats, savings] = await Promise.all([q('day'), q('model'), q('provider'),
    q('team'), api('/admin/stats', { query: { metric: 'cost', step: '1d', from } }),
    api('/admin/cost/savings', { query: { from } })]);
  const t = byDay.total;
  const out = [
    el('div', { class: 'cards' },
      card('Spend, ' + label, fmtUsd(t.cost_usd), { id: 'spend-total', 'data-usd': t.cost_usd }),
      card('Answers', fmtUsd(t.answer_cost_usd), { id: 'spend-answers', 'data-usd': t.answer_cost_usd }),
      card('Overhead (retries, failed attempts, lost hedges)', fmtUsd(t.overhead_cost_usd),
        { id: 'spend-overhead', 'data-usd': t.overhead_cost_usd }),
      card('Requests', fmtInt(t.requests), { id: 'spend-requests' }),
      card('Attempts without a known price', fmtInt(t.unpriced_attempts), { id: 'spend-unpriced' })),
  ];
  const charts = el('div', { class: 'charts' });
  out.push(charts);
  const series = (stats.series || [])[0];
  const points = series ? series.points.map(p => ({ t: p.t, usd: p.cost_usd })) : [];
  out.push(el('h2', {}, 'What routing and caching saved'), savingsView(savings, label));
  const next = 'Send traffic through the gateway; spend appears here as soon as the ledger records it.';
  out.push(el('h2', {}, 'By day'), spendTable(byDay, 'Day (UTC)', next));
  out.push(el('h2', {}, 'By model'), spendTable(byModel, 'Model', next));
  out.push(el('h2', {}, 'By provider'), spendTable(byProvider, 'Provider', next));
  out.push(el('h2', {}, 'By team'), spendTable(byTeam, 'Team', next));
  return { nodes: out, charts, points, title: 'Spend per day' };
}

function savingsView(s, label) {
  const r = s.routing;
  const p = s.prompt_cache;
  const signed = v => (Number(v) < 0 ? 'cost ' + fmtUsd(String(-Number(v))) + ' more' : fmtUsd(v));
  const routing = r.rerouted_requests === 0
    ? 'No request in this window was answered by a target other than its model entry’s first.'
    : r.rerouted_requests + ' of ' + r.answered_requests + ' answered requests went to another target than their'
      + ' model entry’s first (' + r.fallback_requests + ' as fallbacks): ' + fmtUsd(r.recorded_cost_usd)
      + ' recorded, all attempts included, against ' + fmtUsd(r.at_first_target_usd) + ' on the first target'
      + (r.unpriced_requests ? '; ' + r.unpriced_requests + ' left out for want of a price.' : '.');
  return el('div', { id: 'savings' },
    el('div', { class: 'cards' },
      card('Routing saved, ' + label, signed(r.saved_usd), { id: 'saved-routing', 'data-usd': r.saved_usd }),
      card('Provider prompt caches saved', signed(p.saved_usd), { id: 'saved-prompt-cache', 'data-usd': p.saved_usd }),
      card('Sluice response cache', 'not measured', { id: 'saved-response-cache' })),
    el('p', { class: 'muted' }, 'Routing: ', routing, ' Baseline: ', r.baseline, '.'),
    el('p', { class: 'muted' }, 'Prompt caches: ', fmtInt(p.cached_read_tokens), ' prompt tokens read from and ',
      fmtInt(p.cache_write_tokens), ' written to the providers’ caches in ', fmtInt(p.attempts),
      ' attempts, priced with and without the cache.'),
    el('p', { class: 'muted', id: 'response-cache-note' }, s.response_cache.reason));
}

async function clientView(from, label) {
  const [key, byDay, byModel] = await Promise.all([api('/v1/sluice/key'),
    api('/v1/sluice/spend', { query: { group_by: 'day', from } }),
    api('/v1/sluice/spend', { query: { group_by: 'model', from } })]);
  const s = key.spend || {};
  const cards = el('div', { class: 'cards' },
    card('Your spend, ' + label, fmtUsd(byDay.total.cost_usd), { id: 'spend-total', 'data-usd': byDay.total.cost_usd }),
    card('This ' + (s.period === 'daily' ? 'day' : s.period === 'total' ? 'key’s life' : 'month') + ' (budget period)',
      fmtUsd(s.cost_usd), { id: 'spend-period', 'data-usd': s.cost_usd }),
    s.remaining_usd !== undefined ? card('Budget left', fmtUsd(s.remaining_usd), { id: 'budget-left' })
      : card('Budget', 'none', { id: 'budget-left' }),
    card('Requests', fmtInt(byDay.total.requests)));
  const charts = el('div', { class: 'charts' });
  const points = (byDay.data || []).map(r => ({ t: r.group, usd: r.cost_usd }));
  const next = 'Requests made with this key show up here once the ledger records them.';
  return { nodes: [cards, charts, el('h2', {}, 'By day'), spendTable(byDay, 'Day (UTC)', next),
    el('h2', {}, 'By model'), spendTable(byModel, 'Model', next)], charts, points, title: 'Your spend per day' };
}

/** A JSON number when the field holds one, else the text itself, so the API names what is wrong. */
function num(v) {
  const s = String(v).trim();
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s) ? Number(s) : s;
}

function field(label, name, value, type = 'text') {
  return el('label', {}, label, el('input', { name, id: name, value, type }));
}

function errorBox(e) {
  return el('div', { class: 'error', role: 'alert', 'data-param': e.param || '' },
    (e.param ? e.param + ': ' : '') + (e.message || String(e)));
}

function estimateForm() {
  const result = el('div', { id: 'estimate-result' });
  const form = el('form', { class: 'inline', id: 'estimate-form', onsubmit: async e => {
    e.preventDefault();
    const f = new FormData(form);
    const body = { model: String(f.get('model')).trim(), requests_per_second: num(f.get('requests_per_second')),
      input_tokens: num(f.get('input_tokens')), output_tokens: num(f.get('output_tokens')),
      retry_rate: num(f.get('retry_rate')) };
    show(result, el('p', { class: 'muted' }, 'Estimating…'));
    try {
      const r = await api('/admin/cost/estimate', { method: 'POST', body });
      const a = r.assumptions;
      show(result, el('div', { class: 'cards' },
        card('Per request', fmtUsd(r.per_request_usd), { id: 'estimate-per-request', 'data-usd': r.per_request_usd }),
        card('Per day', fmtUsd(r.per_day_usd), { id: 'estimate-per-day', 'data-usd': r.per_day_usd }),
        card('Per month (' + a.days_per_month + ' days)', fmtUsd(r.per_month_usd),
          { id: 'estimate-per-month', 'data-usd': r.per_month_usd })),
      el('p', { class: 'muted' }, r.model + ' at $' + r.price.input_per_mtok_usd + ' input and $'
        + r.price.output_per_mtok_usd + ' output per million tokens (catalog ' + r.catalog_version
        + (a.price_as_of ? ', price as of ' + a.price_as_of : '') + '); ' + a.requests_per_second + ' requests/s, '
        + a.input_tokens_per_request + ' + ' + a.output_tokens_per_request + ' tokens a request, retry rate '
        + a.retry_rate + '.'),
      el('ul', { class: 'muted' }, a.notes.map(n => el('li', {}, n))));
    } catch (err) {
      show(result, errorBox(err));
    }
  } },
  field('Model (price catalog id)', 'model', 'gpt-4o-mini'), field('Requests per second', 'requests_per_second', '1'),
  field('Input tokens a request', 'input_tokens', '1000'), field('Output tokens a request', 'output_tokens', '200'),
  field('Retry rate', 'retry_rate', '0'), el('button', { type: 'submit', id: 'estimate-submit' }, 'Estimate'));
  return el('section', {}, el('h2', {}, 'Estimate: what steady traffic will cost'),
    el('p', { class: 'muted' }, 'The same figures as ', el('code', {}, 'sluice cost estimate'), '.'), form, result);
}

function replayForm() {
  const result = el('div', { id: 'replay-result' });
  const weekAgo = new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10);
  const form = el('form', { class: 'inline', id: 'replay-form', onsubmit: async e => {
    e.preventDefault();
    const f = new FormData(form);
    const body = { model: String(f.get('replay_model')).trim(), from: f.get('from') || undefined,
      to: f.get('to') || undefined };
    show(result, el('p', { class: 'muted' }, 'Replaying…'));
    try {
      const r = await api('/admin/cost/replay', { method: 'POST', body });
      const rows = r.by_target.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'replay-by-target' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Recorded target'), el('th', {}, 'Attempts'),
          el('th', {}, 'Input tokens'), el('th', {}, 'Output tokens'), el('th', {}, 'Recorded'),
          el('th', {}, 'As ' + r.model))),
        el('tbody', {}, r.by_target.map(t => el('tr', {}, el('td', {}, t.target), el('td', {}, fmtInt(t.attempts)),
          el('td', {}, fmtInt(t.input_tokens)), el('td', {}, fmtInt(t.output_tokens)),
          el('td', {}, fmtUsd(t.recorded_cost_usd)), el('td', {}, fmtUsd(t.replayed_cost_usd)))))))
        : empty('No attempts recorded in this window.', 'Pick a window with traffic, or send some first.');
      show(result, el('div', { class: 'cards' },
        card('Recorded cost', fmtUsd(r.recorded_cost_usd), { id: 'replay-recorded', 'data-usd': r.recorded_cost_usd }),
        card('As ' + r.model, fmtUsd(r.replayed_cost_usd), { id: 'replay-replayed', 'data-usd': r.replayed_cost_usd }),
        card('Difference', (Number(r.difference_usd) >= 0 ? '+' : '') + fmtUsd(r.difference_usd)
          + (r.difference_percent === null ? '' : ' (' + r.difference_percent + '%)'), { id: 'replay-difference' })),
      el('p', { class: 'muted' }, fmtInt(r.requests) + ' requests, ' + fmtInt(r.attempts) + ' attempts from '
        + r.from + (r.to ? ' to ' + r.to : ' on') + '.'
        + (r.unpriced_attempts ? ' ' + r.unpriced_attempts + ' attempts had no known price.' : '')),
      rows, el('ul', { class: 'muted' }, r.notes.map(n => el('li', {}, n))));
    } catch (err) {
      show(result, errorBox(err));
    }
  } },
  field('As model (price catalog id)', 'replay_model', 'gpt-4o-mini'), field('From (UTC date)', 'from', weekAgo, 'date'),
  field('To (UTC date, exclusive)', 'to', '', 'date'), el('button', { type: 'submit', id: 'replay-submit' }, 'Replay'));
  return el('section', {}, el('h2', {}, 'Replay: what recorded traffic would have cost on another model'),
    el('p', { class: 'muted' }, 'The same figures as ', el('code', {}, 'sluice cost replay'), '.'), form, result);
}
