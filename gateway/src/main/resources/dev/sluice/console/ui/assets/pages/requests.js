// The Requests page: the request log with its filters (#/requests) and one request's attempt
// timeline and bodies (#/requests/<id>). An admin session reads /admin/requests; a client-key
// session reads /v1/sluice/requests, which holds only its own requests and takes no key or team.
// Every value from the API reaches the DOM as text (el/textContent); bodies go into <pre> as text.

import { api, el, show, empty, failure, fmtMs, fmtUsd, fmtInt, fmtTime } from '../app.js';

/** Time windows of the filter: label → milliseconds back from now (0: no lower bound). */
const WINDOWS = [
  ['all', 'Any time', 0],
  ['15m', 'Last 15 min', 15 * 60e3],
  ['1h', 'Last hour', 3600e3],
  ['24h', 'Last 24 h', 24 * 3600e3],
  ['7d', 'Last 7 days', 7 * 24 * 3600e3],
  ['30d', 'Last 30 days', 30 * 24 * 3600e3],
];

/** Status choices: the API's status parameter (a code, a class, ok or error). */
const STATUSES = [
  ['', 'Any'], ['ok', 'OK (below 400)'], ['error', 'Failed (400 and above)'], ['2xx', '2xx'], ['4xx', '4xx'],
  ['429', '429'], ['499', '499 (client gone)'], ['5xx', '5xx'],
];

/** The error classes Sluice answers with (the error's code), offered as suggestions; any text is accepted. */
const ERROR_CLASSES = ['rate_limit_exceeded', 'budget_exceeded', 'upstream_overloaded', 'upstream_timeout',
  'deadline_exceeded', 'server_error', 'overloaded', 'rate_limited', 'timeout', 'connection', 'stream_error',
  'gateway_busy', 'model_not_found', 'model_not_allowed', 'invalid_request', 'invalid_api_key', 'key_revoked',
  'key_expired', 'context_length_exceeded', 'content_filter', 'client_gone'];

/** The filters as the user left them; kept while the console is open, so "back" from a request keeps them. */
const NO_FILTERS = { key: '', team: '', model: '', status: '', error_class: '', min_latency_ms: '', window: 'all',
  limit: '50' };
let filters = Object.assign({}, NO_FILTERS);

function link(id) {
  return '#/requests/' + encodeURIComponent(id);
}

function base(session) {
  return session.role === 'admin' ? '/admin/requests' : '/v1/sluice/requests';
}

function statusBadge(status) {
  const cls = status >= 500 || status === 499 ? 'bad' : status >= 400 ? 'warn' : 'ok';
  return el('span', { class: 'badge ' + cls, 'data-test': 'status' }, String(status));
}

/** Adds the page's stylesheet once (a file under /ui/assets, so the CSP's default-src 'self' allows it). */
function styles() {
  if (!document.getElementById('requests-css')) {
    document.head.append(el('link', { id: 'requests-css', rel: 'stylesheet', href: '/ui/assets/pages/requests.css' }));
  }
}

export default {
  async render(main, { args, session }) {
    styles();
    if (args && args[0]) {
      await detail(main, args[0], session);
    } else {
      await list(main, session);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The list

async function list(main, session) {
  const admin = session.role === 'admin';
  const input = (name, label, attrs = {}) => el('label', {}, label,
    el('input', Object.assign({ name, id: 'filter-' + name, value: filters[name] }, attrs)));
  const select = (name, label, options) => {
    const s = el('select', { name, id: 'filter-' + name },
      options.map(([value, text]) => el('option', { value }, text)));
    s.value = filters[name];
    return el('label', {}, label, s);
  };
  const form = el('form', { class: 'filters', id: 'request-filters' },
    admin ? input('key', 'Key', { placeholder: 'key name', size: 12 }) : null,
    admin ? input('team', 'Team', { placeholder: 'team', size: 10 }) : null,
    input('model', 'Model', { placeholder: 'as the client named it', size: 16 }),
    select('status', 'Status', STATUSES),
    input('error_class', 'Error class', { list: 'error-classes', placeholder: 'e.g. overloaded', size: 14 }),
    el('datalist', { id: 'error-classes' }, ERROR_CLASSES.map(c => el('option', { value: c }))),
    input('min_latency_ms', 'Slower than (ms)', { type: 'number', min: 0, step: 'any', size: 8 }),
    select('window', 'Time', WINDOWS.map(([v, t]) => [v, t])),
    select('limit', 'Per page', [['10', '10'], ['50', '50'], ['200', '200']]),
    el('button', { type: 'submit', id: 'filters-apply' }, 'Apply'),
    el('button', { type: 'button', class: 'secondary', id: 'filters-clear', onclick: () => {
      filters = Object.assign({}, NO_FILTERS);
      list(main, session);
    } }, 'Clear'));
  const results = el('div', { id: 'requests-results' });
  show(main, el('h1', {}, 'Requests'),
    el('p', { class: 'muted' }, admin ? 'Every request through the gateway, newest first.'
      : 'Your key\'s requests, newest first.'), form, results);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    for (const name of Object.keys(filters)) {
      const field = form.elements.namedItem(name);
      if (field) filters[name] = field.value.trim();
    }
    load(results, session);
  });
  await load(results, session);
}

/** The API query for the current filters; the window's start is fixed now, so "older" pages stay in it. */
function query(session) {
  const q = { limit: filters.limit || 50 };
  const names = session.role === 'admin' ? ['key', 'team'] : [];
  for (const n of names.concat(['model', 'status', 'error_class', 'min_latency_ms'])) {
    if (filters[n]) q[n] = filters[n];
  }
  const w = WINDOWS.find(x => x[0] === filters.window);
  if (w && w[2] > 0) q.from = new Date(Date.now() - w[2]).toISOString();
  return q;
}

function filtered(session) {
  const names = ['model', 'status', 'error_class', 'min_latency_ms'].concat(session.role === 'admin' ? ['key', 'team'] : []);
  return names.some(n => filters[n]) || filters.window !== 'all';
}

async function load(results, session) {
  const admin = session.role === 'admin';
  const q = query(session);
  show(results, el('p', { class: 'muted' }, 'Loading…'));
  let page;
  try {
    page = await api(base(session), { query: q });
  } catch (e) {
    show(results, failure(e));
    return;
  }
  if (page.data.length === 0) {
    show(results, filtered(session)
      ? el('div', { id: 'requests-empty', 'data-test': 'no-match' },
        empty('No request matches these filters.', 'Widen the time window, clear a filter, or press Clear to see every request.'))
      : el('div', { id: 'requests-empty', 'data-test': 'no-requests' }, noRequestsYet(admin)));
    return;
  }
  const body = el('tbody', { id: 'requests-rows' });
  const head = ['Time', 'Model', admin ? 'Key' : null, admin ? 'Team' : null, 'Served by', 'Status', 'Error class',
    'Latency', 'TTFT', 'Attempts', 'Cost'].filter(Boolean);
  const older = el('button', { type: 'button', class: 'secondary', id: 'requests-older' }, 'Older requests');
  const count = el('p', { class: 'muted', id: 'requests-count' });
  let shown = 0;
  const add = p => {
    for (const r of p.data) body.append(row(r, admin));
    shown += p.data.length;
    count.textContent = fmtInt(shown) + (shown === 1 ? ' request' : ' requests') + ' shown' + (p.has_more ? '; older ones below.' : '.');
    older.hidden = !p.has_more;
    older.dataset.cursor = p.next_cursor || '';
  };
  older.addEventListener('click', async () => {
    older.disabled = true;
    try {
      add(await api(base(session), { query: Object.assign({}, q, { cursor: older.dataset.cursor }) }));
    } catch (e) {
      results.append(failure(e));
    } finally {
      older.disabled = false;
    }
  });
  add(page);
  show(results, el('div', { class: 'table-wrap' },
    el('table', { id: 'requests-table' }, el('thead', {}, el('tr', {}, head.map(h => el('th', {}, h)))), body)),
  el('div', { class: 'requests-paging' }, count, older));
}

function row(r, admin) {
  const served = r.served_by ? r.served_by.provider + (r.served_by.model ? ' / ' + r.served_by.model : '') : '–';
  return el('tr', { 'data-test': 'request-row', 'data-id': r.id, 'data-status': r.status },
    el('td', {}, el('a', { href: link(r.id), title: r.id }, fmtTime(r.created_at))),
    el('td', { 'data-test': 'model' }, r.model === null ? '–' : r.model),
    admin ? el('td', {}, r.key || '–') : null,
    admin ? el('td', {}, r.team || '–') : null,
    el('td', {}, served),
    el('td', {}, statusBadge(r.status)),
    el('td', {}, r.error_class || ''),
    el('td', { class: 'num' }, fmtMs(r.latency_ms)),
    el('td', { class: 'num' }, fmtMs(r.ttft_ms)),
    el('td', { class: 'num' }, String(r.attempts)),
    el('td', { class: 'num' }, fmtUsd(r.cost_usd)));
}

function noRequestsYet(admin) {
  const origin = location.origin;
  const curl = 'curl ' + origin + '/v1/chat/completions \\\n'
    + '  -H "authorization: Bearer $SLUICE_KEY" \\\n'
    + '  -H "content-type: application/json" \\\n'
    + '  -d \'{"model": "<a model from your config>",\n       "messages": [{"role": "user", "content": "Hello"}]}\'';
  return el('div', { class: 'empty' },
    el('p', {}, admin ? 'No requests yet.' : 'This key has made no requests yet.'),
    el('p', { class: 'muted' }, 'Send one with ' + (admin ? 'a client key' : 'your key') + ' and it appears here within a second '
      + '(the request log is written in batches):'),
    el('pre', { id: 'curl-example' }, curl));
}

// ---------------------------------------------------------------------------------------------
// One request

async function detail(main, id, session) {
  const back = el('a', { href: '#/requests', id: 'requests-back' }, '← All requests');
  show(main, back, el('p', { class: 'muted' }, 'Loading…'));
  let r;
  try {
    r = await api(base(session) + '/' + encodeURIComponent(id));
  } catch (e) {
    show(main, back, e.status === 404
      ? el('div', { id: 'request-missing' }, empty('No request with this id in the request log.',
        'It may be older than the log\'s retention (observability.retention.requests, 30 days by default), '
        + 'or not written yet: the log is written in batches, so reload in a second.'))
      : failure(e));
    return;
  }
  const served = r.served_by ? r.served_by.provider + (r.served_by.model ? ' / ' + r.served_by.model : '') : '–';
  const card = (label, value, test) => el('div', { class: 'card' }, el('div', { class: 'label' }, label),
    el('div', { class: 'value', 'data-test': test }, value));
  const t = r.tokens;
  show(main, back,
    el('h1', {}, 'Request ', el('code', { id: 'request-id' }, r.id)),
    el('p', { class: 'muted' }, fmtTime(r.created_at) + ' · ' + r.endpoint + (r.stream ? ' · streamed' : '')
      + (r.client_disconnected ? ' · the client went away' : '')),
    el('div', { class: 'cards' },
      card('Status', el('span', {}, statusBadge(r.status), r.error_class ? ' ' + r.error_class : ''), 'detail-status'),
      card('Model', r.model === null ? '–' : r.model, 'detail-model'),
      card('Served by', served, 'detail-served'),
      session.role === 'admin' ? card('Key · team', (r.key || '–') + ' · ' + (r.team || '–'), 'detail-key') : null,
      card('Latency', fmtMs(r.latency_ms), 'detail-latency'),
      card('Time to first token', fmtMs(r.ttft_ms), 'detail-ttft'),
      card('Queue wait · overhead', fmtMs(r.queue_wait_ms) + ' · ' + fmtMs(r.overhead_ms), 'detail-wait'),
      card('Tokens in · out', fmtInt(t.input) + ' · ' + fmtInt(t.output)
        + (t.cached_read ? ' (' + fmtInt(t.cached_read) + ' cached)' : ''), 'detail-tokens'),
      card('Cost', fmtUsd(r.cost_usd), 'detail-cost')),
    el('h2', {}, 'Attempt timeline'),
    timeline(r),
    el('h2', {}, 'Bodies'),
    bodies(r.bodies));
}

/** Why an attempt was made, as the API names it: first, retry, failover, fallback or hedge. */
function kind(a) {
  return a.kind || (a.hedge ? 'hedge' : a.fallback ? 'fallback' : a.retry ? 'retry' : a.attempt === 1 ? 'first' : 'failover');
}

const KIND_LABELS = { first: 'first', retry: 'retry (same target)', failover: 'fail-over (next target)',
  fallback: 'fallback (fallback model)', hedge: 'hedge (parallel)' };

/**
 * The queue wait and each attempt as a bar on one time axis (milliseconds after the request
 * arrived), drawn to scale; the first token is a tick on its attempt's bar.
 */
function timeline(r) {
  const attempts = r.timeline.attempts;
  const wait = r.timeline.queue_wait_ms || 0;
  const span = Math.max(r.latency_ms || 0, wait, ...attempts.map(a => a.end_ms || 0), 1);
  const pct = ms => Math.min(100, Math.max(0, ms / span * 100)) + '%';
  const bar = (from, to, cls) => {
    const b = el('div', { class: 'tl-bar ' + cls });
    b.style.left = pct(from);
    b.style.width = 'max(2px, ' + pct(to - from) + ')';
    return b;
  };
  const rows = [];
  rows.push(el('div', { class: 'tl-row', 'data-test': 'queue-wait' },
    el('div', { class: 'tl-label' }, 'Queue wait'),
    el('div', { class: 'tl-track' }, bar(0, wait, 'wait')),
    el('div', { class: 'tl-facts' }, fmtMs(wait) + ' waiting for admission')));
  for (const a of attempts) {
    const k = kind(a);
    const track = el('div', { class: 'tl-track' });
    if (a.start_ms !== null) {
      track.append(bar(a.start_ms, a.end_ms, a.won ? 'won' : a.outcome === 'ok' ? 'ok' : 'failed'));
      if (a.first_token_ms !== null) {
        const tick = el('div', { class: 'tl-ttft', title: 'first token' });
        tick.style.left = pct(a.first_token_ms);
        track.append(tick);
      }
    } else {
      track.append(el('span', { class: 'muted' }, 'start not recorded'));
    }
    const facts = [
      a.start_ms === null ? null : 'starts at ' + fmtMs(a.start_ms),
      'took ' + fmtMs(a.latency_ms),
      a.ttft_ms === null ? null : 'first token after ' + fmtMs(a.ttft_ms),
      'HTTP ' + a.status,
      a.error_class,
      fmtUsd(a.cost_usd) + (a.estimated ? ' (estimated)' : '') + (a.price_known ? '' : ' (no price known)'),
    ].filter(Boolean).join(' · ');
    rows.push(el('div', { class: 'tl-row' + (a.won ? ' winner' : ''), 'data-test': 'attempt',
      'data-attempt': a.attempt, 'data-kind': k, 'data-outcome': a.outcome, 'data-won': a.won ? 'true' : 'false' },
    el('div', { class: 'tl-label' },
      el('strong', {}, '#' + a.attempt + ' ' + (KIND_LABELS[k] || k)), ' ',
      el('span', { class: 'badge ' + (a.won ? 'ok' : a.outcome === 'ok' ? '' : 'bad'), 'data-test': 'outcome' },
        a.won ? 'won' : a.outcome),
      el('div', { class: 'tl-target' }, a.provider + ' / ' + a.model + (a.model_entry ? ' (' + a.model_entry + ')' : ''))),
    track,
    el('div', { class: 'tl-facts' }, facts)));
  }
  const axis = el('div', { class: 'tl-row tl-axis' }, el('div', { class: 'tl-label muted' }, 'ms after arrival'),
    el('div', { class: 'tl-track' }, el('span', { class: 'tl-start' }, '0'), el('span', { class: 'tl-end' }, fmtMs(span))),
    el('div', {}));
  const note = attempts.length === 0
    ? el('p', { class: 'muted', id: 'no-attempts' }, 'No provider was called: the request was answered by Sluice '
      + 'itself (refused, not found, or from the cache).')
    : el('p', { class: 'muted' }, r.timeline.winner === null ? 'No attempt succeeded.'
      : 'Attempt #' + r.timeline.winner + ' answered the client.');
  return el('div', { class: 'timeline', id: 'timeline' }, rows, axis, note);
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (e) {
    return text;
  }
}

function bodies(b) {
  if (b === null) {
    return el('div', { id: 'bodies-off', class: 'empty' },
      el('p', {}, 'No bodies were kept for this request.'),
      el('p', { class: 'muted' }, 'Body logging is off unless the request\'s key or team turns it on with '
        + 'log_bodies in the config (bodies are redacted with your patterns and cut to max_bytes before they '
        + 'are stored, and kept for observability.retention.bodies, 7 days by default):'),
      el('pre', {}, 'teams:\n  - { name: support, log_bodies: { enabled: true, redact: ["sk-[A-Za-z0-9]{20,}"], '
        + 'max_bytes: 16384 } }\nkeys:\n  - { key: "${SUPPORT_BOT_KEY}", name: support-bot, log_bodies: { enabled: true } }'));
  }
  const part = (title, text, truncated, id) => el('div', { class: 'body-part' },
    el('h3', {}, title, truncated ? el('span', { class: 'badge warn' }, 'cut to max_bytes') : null),
    text === null ? el('p', { class: 'muted' }, 'None kept.') : el('pre', { id }, pretty(text)));
  return el('div', { id: 'bodies' },
    part('Request', b.request, b.request_truncated, 'body-request'),
    part('Response', b.response, b.response_truncated, 'body-response'));
}
