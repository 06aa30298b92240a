// Providers: per target (provider/model) its breaker, adaptive concurrency limit against attempts in
// flight, cool-down, the rate-limit headroom the provider last reported, attempt counters and the
// recent errors — all from GET /admin/providers (this replica, since it started). Refreshes every 5 s.
import { api, el, show, empty, failure, fmtInt, fmtMs, fmtTime } from '../app.js';

const REFRESH_MS = 5000;
const BADGE = { CLOSED: 'ok', OPEN: 'bad', HALF_OPEN: 'warn' };

/** The page's own stylesheet, linked once (same origin, so the console's CSP allows it). */
function ensureStyle() {
  if (document.getElementById('providers-css')) return;
  document.head.append(el('link', { id: 'providers-css', rel: 'stylesheet', href: '/ui/assets/pages/providers.css' }));
}

function breaker(b) {
  const lines = [];
  if (b.opened_at) lines.push('opened ' + fmtTime(b.opened_at));
  if (b.next_probe_at) lines.push('next probe ' + fmtTime(b.next_probe_at));
  if (b.openings) lines.push(fmtInt(b.openings) + (b.openings === 1 ? ' opening' : ' openings') + ' since start');
  return el('div', { class: 'prov-breaker' },
    el('span', { class: 'badge ' + (BADGE[b.state] || ''), 'data-test': 'breaker', title: 'Circuit breaker' }, b.state),
    lines.length ? el('span', { class: 'muted' }, ' ' + lines.join(' · ')) : null);
}

function concurrency(t) {
  const c = t.concurrency;
  return el('div', { class: 'prov-row' },
    el('span', { class: 'label' }, 'In flight / adaptive limit'),
    el('progress', { max: Math.max(1, c.limit), value: Math.min(c.in_flight, Math.max(1, c.limit)),
      'data-test': 'in-flight-bar', 'aria-label': 'in flight of limit' }),
    el('span', { 'data-test': 'in-flight' }, fmtInt(c.in_flight) + ' / ' + fmtInt(c.limit)),
    limitLatency(c.latency_ms),
    limitCuts(c.cuts));
}

/** Why the limit came down, if it did: cuts by cause and the last one. */
function limitCuts(cuts) {
  if (!cuts || !cuts.last) return null;
  const causes = [];
  if (cuts.latency) causes.push(fmtInt(cuts.latency) + ' for latency');
  if (cuts.dropped) causes.push(fmtInt(cuts.dropped) + ' for 429 / overload / timeout');
  const l = cuts.last;
  return el('span', { class: 'muted', 'data-test': 'limit-cuts' },
    'cut ' + causes.join(', ') + '; last ' + fmtTime(l.at) + ' (' + l.cause + '), ' + fmtInt(l.from) + ' → '
      + fmtInt(l.to) + ' with ' + fmtInt(l.in_flight) + ' in flight');
}

/** What the adaptive limit judges: time to first token from the request's write, and its baseline. */
function limitLatency(l) {
  if (!l || l.smoothed === null) {
    return el('span', { class: 'muted', 'data-test': 'limit-latency' }, 'no answer yet');
  }
  const base = l.baseline === null ? '' : ' (baseline ' + fmtMs(l.baseline) + ')';
  return el('span', { class: 'muted', 'data-test': 'limit-latency',
    title: 'The adaptive limit comes down when this rises both 2× and 5 s over the baseline' },
  'first token in ' + fmtMs(l.smoothed) + base);
}

function quota(name, q) {
  if (!q) return null;
  const left = q.remaining === null ? '–' : fmtInt(q.remaining);
  const of = q.limit === null ? '' : ' of ' + fmtInt(q.limit);
  const reset = q.reset ? ' (resets ' + q.reset + ')' : '';
  return el('li', { class: q.remaining === 0 ? 'prov-exhausted' : null }, name + ' left: ' + left + of + reset);
}

function headroom(h) {
  if (!h) {
    return el('div', { class: 'prov-row', 'data-test': 'headroom' },
      el('span', { class: 'label' }, 'Rate-limit headroom'),
      el('span', { class: 'muted' }, 'not reported yet (the provider sends no x-ratelimit-* headers, or no answer came)'));
  }
  return el('div', { class: 'prov-row', 'data-test': 'headroom' },
    el('span', { class: 'label' }, 'Rate-limit headroom, as reported ' + fmtTime(h.seen_at)),
    el('ul', { class: 'prov-quota' }, quota('Requests', h.requests), quota('Tokens', h.tokens)));
}

function counts(n) {
  const items = [['Attempts', n.attempts], ['Successes', n.successes], ['Retries', n.retries],
    ['Hedges', n.hedges], ['Fallbacks', n.fallbacks], ['Errors', n.errors]];
  return el('dl', { class: 'prov-counts', 'data-test': 'counts' },
    items.map(([label, v]) => el('div', { 'data-count': label.toLowerCase() },
      el('dt', {}, label), el('dd', {}, fmtInt(v)))));
}

/** Targets whose error list the user folded: a refresh keeps it folded. */
const folded = new Set();

function errors(target, list) {
  if (!list.length) return el('p', { class: 'muted', 'data-test': 'errors' }, 'No errors since start.');
  return el('details', { open: !folded.has(target),
    ontoggle: ev => (ev.target.open ? folded.delete(target) : folded.add(target)) },
    el('summary', {}, 'Recent errors (' + list.length + ', newest first)'),
    el('ul', { class: 'prov-errors', 'data-test': 'errors' }, list.map(e => el('li', {},
      el('span', { class: 'muted' }, fmtTime(e.at) + ' '),
      el('span', { class: 'badge bad' }, (e.status ? e.status + ' ' : '') + e.error_class),
      ' ', e.message))));
}

function card(t) {
  return el('section', { class: 'card prov-card', 'data-test': 'target', 'data-target': t.target },
    el('h2', {}, t.target),
    el('p', { class: 'muted' }, 'provider ' + t.provider + ' · model ' + t.model),
    breaker(t.breaker),
    t.cooling_until ? el('p', { 'data-test': 'cooling' },
      el('span', { class: 'badge warn' }, 'cooling down'), ' until ' + fmtTime(t.cooling_until) + ' (Retry-After)') : null,
    concurrency(t),
    headroom(t.headroom),
    counts(t.counts),
    errors(t.target, t.recent_errors));
}

function render(root, data) {
  if (!data.targets.length) {
    show(root, empty('No providers are configured.',
      'Add providers and models to the config file (see the Config page), then restart Sluice.'));
    return;
  }
  show(root, el('div', { class: 'prov-grid' }, data.targets.map(card)));
}

export default {
  async render(main) {
    ensureStyle();
    const status = el('p', { class: 'muted', id: 'providers-status' }, 'Loading…');
    const body = el('div', { id: 'providers' });
    show(main, el('h1', {}, 'Providers'), status, body);
    let stopped = false;
    let busy = false;
    async function refresh() {
      if (busy || stopped) return;
      busy = true;
      try {
        const data = await api('/admin/providers');
        if (stopped) return;
        render(body, data);
        status.textContent = 'This replica, counting since ' + fmtTime(data.since) + '. Updated '
          + fmtTime(new Date().toISOString()) + '; refreshes every 5 s.';
      } catch (e) {
        if (!stopped) show(body, failure(e));
      } finally {
        busy = false;
      }
    }
    await refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => { stopped = true; clearInterval(timer); };
  },
};
