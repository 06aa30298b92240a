// Overview: traffic, errors by class, latency and TTFT percentiles, spend and budget burn.
// Admin sessions read /admin/stats (spend too: metric=cost), /admin/keys and /admin/teams (budget
// burn: each entry's spend field); a client-key session reads only its own numbers through the
// tenant API (/v1/sluice/stats, /v1/sluice/key, /v1/sluice/requests). Every number shown comes from one of those answers as a
// script gets it; the window's p99 card is /admin/stats' p99 with one bucket spanning the window.
import { api, el, show, empty, failure, fmtMs, fmtUsd, fmtInt, fmtTime } from '../app.js';
import { lineChart } from '../charts.js';

const WINDOWS = [
  { id: '15m', label: 'last 15 min', minutes: 15 },
  { id: '1h', label: 'last 1 h', minutes: 60 },
  { id: '6h', label: 'last 6 h', minutes: 360 },
  { id: '24h', label: 'last 24 h', minutes: 1440 },
  { id: '7d', label: 'last 7 days', minutes: 10080 },
  { id: '30d', label: 'last 30 days', minutes: 43200 },
];
const LIVE_MAX_MINUTES = 60;
const REFRESH_MS = 5000;
const PERCENTILES = ['p50', 'p95', 'p99'];
const TOP = 5;

export default {
  async render(main, { session }) {
    const admin = session.role === 'admin';
    const state = { window: WINDOWS[1], group: 'model', pct: 'p99', timer: null, busy: false, plots: [], gone: false };
    const stats = admin ? '/admin/stats' : '/v1/sluice/stats';

    const windowSel = el('select', { id: 'window', 'data-test': 'window' },
      WINDOWS.map(w => el('option', { value: w.id, selected: w === state.window }, w.label)));
    const groupSel = el('select', { id: 'group', 'data-test': 'group' },
      el('option', { value: 'model' }, 'by model'), el('option', { value: 'provider' }, 'by provider'));
    const pctSel = el('select', { id: 'percentile', 'data-test': 'percentile' },
      PERCENTILES.map(p => el('option', { value: p, selected: p === state.pct }, p)));
    const live = el('span', { id: 'live', class: 'muted' });
    const body = el('div', { id: 'overview-body' });
    show(main,
      el('h1', {}, admin ? 'Overview' : 'Overview — key ' + (session.key_name || '')),
      el('div', { class: 'filters' },
        el('label', {}, 'Window', windowSel), el('label', {}, 'Latency and TTFT', groupSel),
        el('label', {}, 'Percentile', pctSel), live),
      body);

    const refresh = async () => {
      if (state.busy || state.gone) return;
      state.busy = true;
      try {
        const parts = await load(admin, stats, state);
        if (state.gone) return;
        state.plots.forEach(p => p && p.destroy());
        state.plots = [];
        body.dataset.from = new Date(parts.from).toISOString();
        body.dataset.to = new Date(parts.to).toISOString();
        const charts = [];
        show(body, draw(parts, admin, state, charts));
        // Drawn once on the page: a chart sizes itself to its card, which has no width before.
        for (const c of charts) state.plots.push(lineChart(c.parent, c.opts).plot);
      } catch (e) {
        if (!state.gone) show(body, failure(e));
      } finally {
        state.busy = false;
      }
    };
    const schedule = () => {
      if (state.timer) clearInterval(state.timer);
      state.timer = null;
      if (state.window.minutes <= LIVE_MAX_MINUTES) {
        state.timer = setInterval(refresh, REFRESH_MS);
        live.textContent = 'Live: refreshed every 5 s';
      } else {
        live.textContent = 'Not live (windows over 1 h): change the window to refresh';
      }
    };
    windowSel.addEventListener('change', () => {
      state.window = WINDOWS.find(w => w.id === windowSel.value) || WINDOWS[1];
      schedule();
      refresh();
    });
    groupSel.addEventListener('change', () => { state.group = groupSel.value; refresh(); });
    pctSel.addEventListener('change', () => { state.pct = pctSel.value; refresh(); });
    schedule();
    await refresh();
    return () => {
      state.gone = true;
      if (state.timer) clearInterval(state.timer);
      state.timer = null;
      state.plots.forEach(p => p && p.destroy());
    };
  },
};

/** The window as the API's from/to (whole minutes, so every call of one refresh asks for the same range). */
function range(w) {
  const to = Math.ceil(Date.now() / 60000) * 60000;
  return { from: to - w.minutes * 60000, to };
}

/** The step giving at most ~120 points (the API rounds nothing: these are whole minutes). */
function stepMinutes(w) {
  for (const s of [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440]) {
    if (w.minutes / s <= 120) return s;
  }
  return 1440;
}

function startOfTodayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The spend of a stats answer (metric=cost) as /admin/stats writes it: micro-USD summed over every
 * series and point, as a decimal string with six places (exact: no floating point).
 */
function usdOf(answer) {
  let micros = 0n;
  for (const s of answer.series) for (const p of s.points) micros += BigInt(p.cost_micros);
  const digits = micros.toString().padStart(7, '0');
  return digits.slice(0, -6) + '.' + digits.slice(-6);
}

function startOfMonthUtc() {
  return new Date().toISOString().slice(0, 8) + '01';
}

async function load(admin, stats, state) {
  const burnLoad = admin ? budgets(state) : null;
  const w = state.window;
  const { from, to } = range(w);
  const step = stepMinutes(w) + 'm';
  const q = extra => Object.assign({ from, to, step }, extra);
  const calls = {
    requests: api(stats, { query: q({ metric: 'requests' }) }),
    errors: api(stats, { query: q({ metric: 'errors', group_by: 'error_class' }) }),
    latency: api(stats, { query: q({ metric: 'latency', group_by: state.group }) }),
    ttft: api(stats, { query: q({ metric: 'ttft', group_by: state.group }) }),
    // One bucket spanning the window: the window's own percentiles (never an average of buckets).
    latencyWindow: api(stats, { query: { metric: 'latency', from, to, step: w.minutes + 'm' } }),
    latencyByGroup: api(stats, { query: { metric: 'latency', group_by: state.group, from, to, step: w.minutes + 'm' } }),
    ttftByGroup: api(stats, { query: { metric: 'ttft', group_by: state.group, from, to, step: w.minutes + 'm' } }),
    errorsWindow: api(stats, { query: { metric: 'errors', from, to, step: w.minutes + 'm' } }),
  };
  // Spend comes from the stats rollups (metric=cost, one bucket spanning each range): /admin/spend
  // reads every ledger row of its range and takes seconds with a million requests a day.
  const cost = (query, extra) => api(stats, { query: Object.assign({ metric: 'cost' }, query, extra) });
  const today = startOfTodayUtc();
  const month = startOfMonthUtc();
  const windowCost = extra => cost({ from, to, step: w.minutes + 'm' }, extra);
  Object.assign(calls, {
    spendToday: cost({ from: today, to, step: '1d' }),
    spendMonth: cost({ from: month, to, step: '31d' }),
    topModels: windowCost({ group_by: 'model' }),
  });
  if (admin) {
    Object.assign(calls, {
      topKeys: windowCost({ group_by: 'key' }),
      topTeams: windowCost({ group_by: 'team' }),
    });
  } else {
    Object.assign(calls, {
      key: api('/v1/sluice/key'),
      // The log also holds this page's own /v1/sluice calls: read a page and keep the model calls.
      recent: api('/v1/sluice/requests', { query: { limit: 100 } }),
    });
  }
  const names = Object.keys(calls);
  const values = await Promise.all(names.map(n => calls[n]));
  const out = { from, to, step: stepMinutes(w) };
  names.forEach((n, i) => { out[n] = values[i]; });
  out.burn = burnLoad;
  return out;
}

/**
 * /admin/keys and /admin/teams, whose entries carry their spend in their budget's current period:
 * summed from the ledger, so seconds at a million requests a month. Loaded beside the rest of the
 * page (never holding it up), one load at a time: a refresh while one is under way shares it.
 */
function budgets(state) {
  if (!state.budgets) {
    const load = Promise.all([api('/admin/keys'), api('/admin/teams')]).then(([keys, teams]) => ({ keys, teams }));
    state.budgets = load;
    load.then(b => { state.lastBudgets = b; }, () => {}).finally(() => {
      if (state.budgets === load) state.budgets = null;
    });
  }
  return state.budgets;
}

/**
 * Epoch seconds of every bucket start of the answer, sorted, with the window's first and last
 * bucket (null points) so the time axis spans the whole window even with one point drawn.
 */
function times(answer, d) {
  const set = new Set([d.from / 1000, d.to / 1000 - d.step * 60]);
  for (const s of answer.series) for (const p of s.points) set.add(Date.parse(p.t) / 1000);
  return [...set].sort((a, b) => a - b);
}

function valuesAt(x, points, f) {
  const at = new Map(points.map(p => [Date.parse(p.t) / 1000, p]));
  return x.map(t => (at.has(t) ? f(at.get(t)) : null));
}

function draw(d, admin, state, later) {
  // Each chart's grid cell exists before any chart is drawn, so each one sizes itself to its cell
  // (a first card alone in the grid would span the whole row, and keep that width).
  const addChart = (parent, opts) => {
    const slot = el('div', { class: 'chart-slot' });
    parent.append(slot);
    later.push({ parent: slot, opts });
  };
  const w = state.window;
  const label = w.label + ', step ' + d.step + ' min';
  const nodes = [];
  const total = d.requests.series.length ? d.requests.series[0].points.reduce((n, p) => n + p.requests, 0) : 0;
  const ew = d.errorsWindow.series.length ? d.errorsWindow.series[0].points[0] : null;
  const lw = d.latencyWindow.series.length ? d.latencyWindow.series[0].points[0] : null;

  nodes.push(el('div', { class: 'cards', id: 'overview-cards' },
    card('Requests/s (' + w.label + ')', (total / (w.minutes * 60)).toFixed(3), 'rps', total + ' requests'),
    card('Error rate (' + w.label + ')', ew && ew.requests ? (100 * ew.errors / ew.requests).toFixed(2) + ' %' : '–',
      'error-rate', ew ? fmtInt(ew.errors) + ' errors of ' + fmtInt(ew.requests) : null),
    cardMs('p99 latency (' + w.label + ')', lw ? lw.p99 : null, 'p99-window'),
    cardMs('p50 latency (' + w.label + ')', lw ? lw.p50 : null, 'p50-window'),
    card('Spend today (UTC)', fmtUsd(usdOf(d.spendToday)), 'spend-today', usdOf(d.spendToday) + ' USD'),
    card('Spend this month (UTC)', fmtUsd(usdOf(d.spendMonth)), 'spend-month', usdOf(d.spendMonth) + ' USD'),
    admin ? null : keyBudgetCard(d.key)));

  if (!total) {
    nodes.push(empty('No requests in the ' + w.label + '.',
      admin ? 'Send a request through /v1/chat/completions, or pick a longer window.'
        : 'Send a request with this key, or pick a longer window.'));
  }

  const charts = el('div', { class: 'charts' });
  nodes.push(el('h2', {}, 'Traffic and errors'), charts);
  const x = times(d.requests, d);
  const rps = d.requests.series.length ? valuesAt(x, d.requests.series[0].points, p => p.requests / (d.step * 60)) : [];
  addChart(charts, { id: 'chart-rps', title: 'Requests per second', unit: 'req/s', windowLabel: label,
    x, series: [{ label: 'requests/s', values: rps }] });
  const reqAt = new Map(d.requests.series.length ? d.requests.series[0].points.map(p => [Date.parse(p.t) / 1000, p.requests]) : []);
  addChart(charts, { id: 'chart-errors', title: 'Error rate by error class', unit: '% of requests',
    windowLabel: label, x,
    series: d.errors.series.map(s => ({ label: s.group, values: valuesAt(x, s.points, p => 100 * p.errors / p.requests)
      .map((v, i) => (v === null && reqAt.has(x[i]) ? 0 : v)) })) });

  const byClass = el('div', { class: 'table-wrap' }, table(['Error class', 'Errors', '% of requests'],
    d.errors.series.map(s => {
      const n = s.points.reduce((a, p) => a + p.errors, 0);
      return [s.group, fmtInt(n), total ? (100 * n / total).toFixed(2) + ' %' : '–'];
    }), 'error-classes'));
  nodes.push(el('h2', {}, 'Errors by class (' + w.label + ')'),
    d.errors.series.length ? byClass : empty('No errors in the ' + w.label + '.', null));

  const group = state.group;
  const pc = state.pct;
  const lat = el('div', { class: 'charts' });
  nodes.push(el('h2', {}, 'Latency and time to first token, by ' + group), lat);
  const xl = times(d.latency, d);
  addChart(lat, { id: 'chart-latency', title: 'Latency ' + pc + ' by ' + group, unit: 'ms', windowLabel: label,
    x: xl, series: d.latency.series.map(s => ({ label: s.group || '(none)', values: valuesAt(xl, s.points, p => Number(p[pc])) })) });
  const xt = times(d.ttft, d);
  addChart(lat, { id: 'chart-ttft', title: 'TTFT ' + pc + ' by ' + group + ' (streamed requests)', unit: 'ms',
    windowLabel: label, x: xt,
    series: d.ttft.series.map(s => ({ label: s.group || '(none)', values: valuesAt(xt, s.points, p => Number(p[pc])) })) });
  nodes.push(el('h2', {}, 'Percentiles by ' + group + ' (' + w.label + ', ms)'),
    el('div', { class: 'table-wrap' }, percentileTable(group, d.latencyByGroup, d.ttftByGroup)));

  if (admin) {
    nodes.push(el('h2', {}, 'Top spenders (' + w.label + ')'), el('div', { class: 'cards' },
      topCard('Top keys', d.topKeys, 'top-keys'), topCard('Top teams', d.topTeams, 'top-teams'),
      topCard('Top models', d.topModels, 'top-models')));
    // The last budgets loaded stay on the page until the next ones come.
    const slot = el('div', { id: 'budget-slot' }, state.lastBudgets ? burn(state.lastBudgets)
      : el('p', { class: 'muted' }, 'Loading budgets…'));
    d.burn.then(b => show(slot, burn(b)), e => show(slot, failure(e)));
    nodes.push(el('h2', {}, 'Budget burn (current period)'), slot);
  } else {
    nodes.push(el('h2', {}, 'Spend by model (' + w.label + ')'), el('div', { class: 'cards' },
      topCard('Models', d.topModels, 'top-models')));
    nodes.push(el('h2', {}, 'Recent model requests'), recentTable(d.recent));
  }
  return nodes;
}

function card(labelText, value, test, note) {
  return el('div', { class: 'card', 'data-test': test },
    el('div', { class: 'label' }, labelText), el('div', { class: 'value', id: test }, value),
    note ? el('div', { class: 'muted' }, note) : null);
}

function cardMs(labelText, ms, test) {
  const c = card(labelText, ms === null || ms === undefined ? '–' : fmtMs(Number(ms)), test,
    ms === null || ms === undefined ? 'no requests' : Number(ms).toFixed(3) + ' ms');
  if (ms !== null && ms !== undefined) c.querySelector('.value').dataset.ms = String(ms);
  return c;
}

function keyBudgetCard(key) {
  const spent = key.spend ? key.spend.cost_usd : null;
  if (!key.budget) {
    return card('Budget', 'none', 'key-budget', 'spent ' + fmtUsd(spent) + ' since ' + fmtTime(key.spend.from)
      + ' (' + key.spend.period + ' period)');
  }
  const pct = Number(key.budget.usd) > 0 ? 100 * Number(spent) / Number(key.budget.usd) : 0;
  const c = card('Budget (' + key.budget.period + ', ' + key.budget.mode + ')',
    fmtUsd(spent) + ' of ' + fmtUsd(key.budget.usd), 'key-budget',
    pct.toFixed(1) + ' % used; ' + fmtUsd(key.spend.remaining_usd) + ' left');
  c.append(meter(pct));
  return c;
}

function meter(pct) {
  const m = el('meter', { min: 0, max: 100, low: 80, high: 99, optimum: 0, value: Math.min(100, pct) });
  m.textContent = pct.toFixed(1) + ' %';
  return m;
}

function table(headers, rows, test) {
  return el('table', { 'data-test': test },
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, c))))));
}

function percentileTable(group, latency, ttft) {
  const groups = new Map();
  for (const s of latency.series) groups.set(s.group, { lat: s.points[0] });
  for (const s of ttft.series) groups.set(s.group, Object.assign(groups.get(s.group) || {}, { ttft: s.points[0] }));
  if (!groups.size) return empty('No requests in this window.', null);
  const ms = v => (v === undefined || v === null ? '–' : fmtMs(Number(v)));
  return table([group, 'requests', 'latency p50', 'p95', 'p99', 'streamed', 'TTFT p50', 'p95', 'p99'],
    [...groups.entries()].map(([g, v]) => [g || '(none)', fmtInt(v.lat ? v.lat.count : 0),
      ms(v.lat && v.lat.p50), ms(v.lat && v.lat.p95), ms(v.lat && v.lat.p99), fmtInt(v.ttft ? v.ttft.count : 0),
      ms(v.ttft && v.ttft.p50), ms(v.ttft && v.ttft.p95), ms(v.ttft && v.ttft.p99)]), 'percentiles');
}

/** The groups of a stats answer (metric=cost, one bucket) with the most spend, most first. */
function topCard(title, answer, test) {
  const rows = answer.series.map(s => ({ group: s.group, usd: usdOf({ series: [s] }) }))
    .sort((a, b) => Number(b.usd) - Number(a.usd)).slice(0, TOP);
  return el('div', { class: 'card', 'data-test': test }, el('div', { class: 'label' }, title + ' by spend (USD)'),
    rows.length ? el('ol', {}, rows.map(r => el('li', { 'data-group': r.group === null ? '' : r.group, 'data-usd': r.usd },
      (r.group === null ? '(none)' : r.group) + ': ' + fmtUsd(r.usd))))
      : el('p', { class: 'muted' }, 'No spend in this window.'));
}

/**
 * Keys and teams with a budget: spent in the budget's current period against its cap, as the
 * spend field of /admin/keys and /admin/teams has it.
 */
function burn(d) {
  const period = { daily: 'Day', monthly: 'Month', total: 'Total' };
  const rows = [];
  const add = (kind, name, budget, spend) => {
    const spent = Number(spend ? spend.cost_usd : 0);
    const cap = Number(budget.usd);
    const pct = cap > 0 ? 100 * spent / cap : 0;
    rows.push({ kind, name, budget, spent, cap, pct, usd: spend ? spend.cost_usd : '0' });
  };
  for (const k of d.keys.data) if (k.budget && k.status === 'active') add('key', k.name, k.budget, k.spend);
  for (const t of d.teams.data) if (t.budget) add('team', t.name, t.budget, t.spend);
  if (!rows.length) {
    return empty('No key or team has a budget.', 'Give one a budget on the Keys & teams page (or PATCH /admin/keys/{id}).');
  }
  rows.sort((a, b) => b.pct - a.pct);
  return el('div', { class: 'table-wrap' }, el('table', { 'data-test': 'budget-burn' },
    el('thead', {}, el('tr', {}, ['', 'name', 'period', 'mode', 'spent', 'cap', 'used'].map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map(r => el('tr', { 'data-name': r.kind + ':' + r.name }, el('td', {}, r.kind), el('td', {}, r.name),
      el('td', {}, period[r.budget.period] || r.budget.period), el('td', {}, r.budget.mode),
      el('td', { 'data-usd': r.usd }, fmtUsd(r.usd)), el('td', {}, fmtUsd(r.cap)),
      el('td', {}, meter(r.pct), ' ', el('span', { class: r.pct >= 100 ? 'badge bad' : r.pct >= 80 ? 'badge warn' : 'badge ok' },
        r.pct.toFixed(1) + ' %')))))));
}

function recentTable(page) {
  const rows = page.data.filter(r => r.model).slice(0, 5);
  if (!rows.length) return empty('No model requests among this key\'s last 100 logged calls.', 'Send a request with this key; the Requests page lists them all.');
  return el('div', { class: 'table-wrap' }, table(['time', 'model', 'status', 'latency', 'cost'],
    rows.map(r => [fmtTime(r.created_at), r.model || '–', String(r.status) + (r.error_class ? ' ' + r.error_class : ''),
      fmtMs(Number(r.latency_ms)), fmtUsd(r.cost_usd)]), 'recent'));
}
