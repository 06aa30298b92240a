// Cost: spend by day / model / provider / team and spend per day as a chart, from the stats rollups
// (GET /admin/stats?metric=cost, requests and tokens: one bucket per UTC day, or one spanning the
// window; /admin/spend reads the ledger's hourly rollup but is grouped one way only),
// what routing and the providers' prompt caches saved (GET /admin/cost/savings), and the
// `sluice cost estimate` / `cost replay` forms (POST /admin/cost/estimate, POST /admin/cost/replay).
// A client-key session sees its own spend only (GET /v1/sluice/key, GET /v1/sluice/stats); the
// savings and forms are admin-only.
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

/** Micro-USD as the API's decimal string with six places (exact: no floating point). */
function usd(micros) {
  const digits = BigInt(micros).toString().padStart(7, '0');
  return digits.slice(0, -6) + '.' + digits.slice(-6);
}

/**
 * Requests, tokens and spend of the window by `group` (day: one bucket per UTC day; else one
 * bucket spanning the window), from three stats calls at `path`: rows {group, requests,
 * input, output, micros}, in the API's group order (days in time order).
 */
async function byGroup(path, group, from, to) {
  const step = group === 'day' ? '1d' : Math.ceil((to - Date.parse(from)) / DAY) + 'd';
  const q = metric => api(path, { query: Object.assign({ metric, from, to, step },
    group === 'day' ? {} : { group_by: group }) });
  const [requests, tokens, cost] = await Promise.all([q('requests'), q('tokens'), q('cost')]);
  const rows = new Map();
  const each = (answer, f) => {
    for (const s of answer.series) {
      for (const p of s.points) {
        const g = group === 'day' ? p.t.slice(0, 10) : s.group;
        if (!rows.has(g)) rows.set(g, { group: g, requests: 0, input: 0, output: 0, micros: 0n });
        f(rows.get(g), p);
      }
    }
  };
  each(requests, (r, p) => { r.requests += p.requests; });
  each(tokens, (r, p) => { r.input += p.input; r.output += p.output; });
  each(cost, (r, p) => { r.micros += BigInt(p.cost_micros); });
  return { group, rows: [...rows.values()], cost };
}

/** Spend rows (byGroup) as a table; its id is spend-by-<group>. */
function spendTable(report, groupLabel, next) {
  const rows = report.rows;
  if (!rows.length) return empty('No spend recorded in this window.', next);
  return el('div', { class: 'table-wrap' }, el('table', { id: 'spend-by-' + report.group },
    el('thead', {}, el('tr', {}, el('th', {}, groupLabel), el('th', {}, 'Requests'),
      el('th', {}, 'Input tokens'), el('th', {}, 'Output tokens'), el('th', {}, 'Cost'))),
    el('tbody', {}, rows.map(r => el('tr', { 'data-group': r.group === null ? '' : r.group },
      el('td', {}, r.group === null ? '(none)' : r.group), el('td', {}, fmtInt(r.requests)),
      el('td', {}, fmtInt(r.input)), el('td', {}, fmtInt(r.output)),
      el('td', { 'data-usd': usd(r.micros) }, fmtUsd(usd(r.micros))))))));
}

/** The window's totals of a byGroup report. */
function totals(report) {
  return report.rows.reduce((t, r) => ({ requests: t.requests + r.requests, micros: t.micros + r.micros }),
    { requests: 0, micros: 0n });
}

/** The spend-per-day points ({t, usd}) of a by-day report. */
function dayPoints(report) {
  const s = report.cost.series[0];
  return s ? s.points.map(p => ({ t: p.t, usd: p.cost_usd })) : [];
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
      const to = Math.ceil(Date.now() / 60000) * 60000; // whole minutes: every call asks for the same range
      body.dataset.from = from; // the window as sent to the API (tests ask the API the same)
      body.dataset.to = String(to);
      try {
        const view = session.role === 'admin' ? await adminView(from, to, label) : await clientView(from, to, label);
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

async function adminView(from, to, label) {
  const q = g => byGroup('/admin/stats', g, from, to);
  // The savings come from the ledger's hourly rollup (V9) and fill in their own section when they
  // come, so a slow store never holds up the rest of the page.
  const savings = api('/admin/cost/savings', { query: { from } });
  const [byDay, byModel, byProvider, byTeam] = await Promise.all([q('day'), q('model'), q('provider'), q('team')]);
  const t = totals(byDay);
  const out = [
    el('div', { class: 'cards' },
      card('Spend, ' + label, fmtUsd(usd(t.micros)), { id: 'spend-total', 'data-usd': usd(t.micros) }),
      card('Requests', fmtInt(t.requests), { id: 'spend-requests' })),
    el('p', { class: 'muted' }, 'What retries, failed attempts and lost hedges cost, and attempts without a known '
      + 'price, and the spend per key with what the response cache and prompt caching saved and what shadow calls '
      + 'cost: GET /admin/spend or sluice cost report.'),
  ];
  const charts = el('div', { class: 'charts' });
  out.push(charts);
  const saved = el('div', { id: 'savings-slot' }, el('p', { class: 'muted' }, 'Loading what routing and caching saved…'));
  savings.then(s => show(saved, savingsView(s, label)), e => show(saved, failure(e)));
  out.push(el('h2', {}, 'What routing and caching saved'), saved);
  const next = 'Send traffic through the gateway; spend appears here within a minute (the stats rollups are '
    + 'flushed every minute).';
  out.push(el('h2', {}, 'By day'), spendTable(byDay, 'Day (UTC)', next));
  out.push(el('h2', {}, 'By model'), spendTable(byModel, 'Model', next));
  out.push(el('h2', {}, 'By provider'), spendTable(byProvider, 'Provider', next));
  out.push(el('h2', {}, 'By team'), spendTable(byTeam, 'Team', next));
  return { nodes: out, charts, points: dayPoints(byDay), title: 'Spend per day' };
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

async function clientView(from, to, label) {
  const [key, byDay, byModel] = await Promise.all([api('/v1/sluice/key'),
    byGroup('/v1/sluice/stats', 'day', from, to), byGroup('/v1/sluice/stats', 'model', from, to)]);
  const s = key.spend || {};
  const t = totals(byDay);
  const cards = el('div', { class: 'cards' },
    card('Your spend, ' + label, fmtUsd(usd(t.micros)), { id: 'spend-total', 'data-usd': usd(t.micros) }),
    card('This ' + (s.period === 'daily' ? 'day' : s.period === 'total' ? 'key’s life' : 'month') + ' (budget period)',
      fmtUsd(s.cost_usd), { id: 'spend-period', 'data-usd': s.cost_usd }),
    s.remaining_usd !== undefined ? card('Budget left', fmtUsd(s.remaining_usd), { id: 'budget-left' })
      : card('Budget', 'none', { id: 'budget-left' }),
    card('Requests', fmtInt(t.requests), { id: 'spend-requests' }));
  const charts = el('div', { class: 'charts' });
  const next = 'Requests made with this key show up here within a minute of being made.';
  return { nodes: [cards, charts, el('h2', {}, 'By day'), spendTable(byDay, 'Day (UTC)', next),
    el('h2', {}, 'By model'), spendTable(byModel, 'Model', next)], charts, points: dayPoints(byDay),
    title: 'Your spend per day' };
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
