// Keys & teams (admin only): stored keys with their spend this budget period and last-minute
// headroom, create (the plain key is shown once), edit, revoke; teams with their budget and spend.
// Everything comes from the admin API a script would use: GET/POST /admin/keys, PATCH/DELETE
// /admin/keys/{id}, GET/POST /admin/teams. Data reaches the DOM as text only (el()).
import { api, el, show, empty, failure, fmtUsd, fmtInt, fmtTime } from '../app.js';

const PRIORITIES = ['high', 'normal', 'low'];
const PERIODS = ['monthly', 'daily', 'total'];
const MODES = ['hard', 'soft'];

export default {
  async render(main) {
    stylesheet();
    // The plain key of a key just created lives only in this closure and in the dialog's input
    // (as a property, never an attribute); both go when the page is left.
    const dialogSlot = el('div', { id: 'key-shown-slot' });
    const keysBox = el('div', { id: 'keys-box' });
    const teamsBox = el('div', { id: 'teams-box' });
    const keyError = el('div', { id: 'key-create-error', class: 'error', role: 'alert', hidden: true });
    const teamError = el('div', { id: 'team-create-error', class: 'error', role: 'alert', hidden: true });

    async function refresh() {
      let keys;
      let teams;
      try {
        [keys, teams] = await Promise.all([api('/admin/keys'), api('/admin/teams')]);
      } catch (e) {
        show(keysBox, failure(e));
        show(teamsBox);
        return;
      }
      show(keysBox, keysTable(keys.data, refresh));
      show(teamsBox, teamsTable(teams.data));
    }

    const keyForm = createKeyForm(async (body, form) => {
      hideError(keyError, form);
      try {
        const created = await api('/admin/keys', { method: 'POST', body });
        form.reset();
        showOnce(dialogSlot, created);
        await refresh();
      } catch (e) {
        showError(keyError, form, e);
      }
    }, keyError);

    const teamForm = createTeamForm(async (body, form) => {
      hideError(teamError, form);
      try {
        await api('/admin/teams', { method: 'POST', body });
        form.reset();
        await refresh();
      } catch (e) {
        showError(teamError, form, e);
      }
    });

    show(main,
      el('h1', {}, 'Keys & teams'),
      dialogSlot,
      el('section', { id: 'keys-section' },
        el('h2', {}, 'Keys'),
        el('details', { id: 'key-create', class: 'create' },
          el('summary', { id: 'key-create-toggle' }, 'Create a key'),
          keyForm, keyError),
        keysBox),
      el('section', { id: 'teams-section' },
        el('h2', {}, 'Teams'),
        el('details', { id: 'team-create', class: 'create' },
          el('summary', { id: 'team-create-toggle' }, 'Create or update a team'),
          teamForm, teamError),
        teamsBox));
    await refresh();
    return () => {
      // Leaving the page forgets a key still on screen.
      show(dialogSlot);
    };
  },
};

/** The page's own styles, next to it (the shell's stylesheet stays shared); loaded once. */
function stylesheet() {
  if (!document.getElementById('keys-css')) {
    document.head.append(el('link', { id: 'keys-css', rel: 'stylesheet', href: '/ui/assets/pages/keys.css' }));
  }
}

// ---- keys ----------------------------------------------------------------------------------

function keysTable(keys, refresh) {
  if (!keys.length) {
    return empty('No stored keys yet.', 'Create one above: give it a name, and a budget and limits if it needs them. '
      + 'Keys written in the config file are not listed here.');
  }
  const body = el('tbody');
  for (const k of keys) body.append(...keyRows(k, refresh));
  return el('div', { class: 'table-wrap' }, el('table', { id: 'keys-table' },
    el('thead', {}, el('tr', {},
      ['Name', 'Team', 'Models', 'Limits', 'Priority', 'Budget', 'Spend this period', 'Last minute', 'Expires',
        'Created', 'Status', ''].map(h => el('th', {}, h)))),
    body));
}

function keyRows(k, refresh) {
  const row = el('tr', { 'data-key-id': k.id, 'data-key-name': k.name });
  const detail = el('tr', { class: 'key-detail', hidden: true }, el('td', { colspan: 12 }));
  const revoked = k.status === 'revoked';
  const actions = el('td', { class: 'actions' });
  const openDetail = (content) => {
    show(detail.firstChild, content);
    detail.hidden = false;
  };
  const closeDetail = () => {
    show(detail.firstChild);
    detail.hidden = true;
  };
  if (!revoked) {
    actions.append(
      el('button', { type: 'button', class: 'secondary', 'data-test': 'edit',
        onclick: () => openDetail(editForm(k, refresh, closeDetail)) }, 'Edit'),
      ' ',
      el('button', { type: 'button', class: 'danger', 'data-test': 'revoke',
        onclick: () => openDetail(revokeConfirm(k, refresh, closeDetail)) }, 'Revoke'));
  }
  row.append(
    el('td', {}, el('div', { class: 'key-name' }, k.name), el('div', { class: 'muted mono' }, k.key_prefix + '…'),
      k.metadata ? el('div', { class: 'muted key-metadata' }, JSON.stringify(k.metadata)) : null),
    el('td', {}, k.team || '–'),
    el('td', {}, k.models ? k.models.join(', ') : el('span', { class: 'muted' }, 'every model')),
    el('td', {}, limitsText(k.limits)),
    el('td', {}, k.priority + (k.allow_priority_header ? ' (header allowed)' : '')),
    el('td', {}, budgetText(k.budget)),
    el('td', { 'data-test': 'spend' }, spendCell(k.spend, k.budget)),
    el('td', { 'data-test': 'recent' }, recentCell(k.recent)),
    el('td', {}, k.expires_at ? fmtTime(k.expires_at) : el('span', { class: 'muted' }, 'never')),
    el('td', {}, fmtTime(k.created_at)),
    el('td', { 'data-test': 'status' }, el('span', { class: 'badge ' + (k.status === 'active' ? 'ok' : 'bad') }, k.status),
      k.revoked_at ? el('div', { class: 'muted' }, fmtTime(k.revoked_at)) : null),
    actions);
  return [row, detail];
}

function limitsText(l) {
  const parts = [];
  if (l.rpm) parts.push(fmtInt(l.rpm) + ' rpm');
  if (l.tpm) parts.push(fmtInt(l.tpm) + ' tpm');
  if (l.max_concurrency) parts.push(fmtInt(l.max_concurrency) + ' concurrent');
  return parts.length ? parts.join(' · ') : el('span', { class: 'muted' }, 'no limits');
}

function budgetText(b) {
  return b ? fmtUsd(b.usd) + ' ' + b.period + ' (' + b.mode + ')' : el('span', { class: 'muted' }, 'no budget');
}

function spendCell(s, budget) {
  if (!s) return '–';
  const since = s.period === 'total' ? 'in total' : 'since ' + fmtTime(s.from).slice(0, 10);
  if (!budget) return el('div', {}, fmtUsd(s.cost_usd), el('div', { class: 'muted' }, since));
  const cap = Number(budget.usd);
  const spent = Number(s.cost_usd);
  return el('div', {},
    el('div', {}, fmtUsd(s.cost_usd) + ' of ' + fmtUsd(budget.usd)),
    el('progress', { max: cap > 0 ? cap : 1, value: Math.min(spent, cap > 0 ? cap : 1),
      'aria-label': 'budget used' }),
    el('div', { class: Number(s.remaining_usd) === 0 ? 'over' : 'muted', 'data-test': 'remaining' },
      fmtUsd(s.remaining_usd) + ' left · ' + since));
}

function recentCell(r) {
  if (!r) return '–';
  const line = (used, unit, left) => el('div', {}, fmtInt(used) + ' ' + unit
    + (left === null || left === undefined ? '' : ' · ' + fmtInt(left) + ' left'));
  return el('div', {},
    line(r.requests, 'req', r.rpm_remaining),
    line(r.tokens, 'tokens', r.tpm_remaining),
    el('div', { class: 'muted' }, 'last ' + r.window_seconds + ' s, from the ledger'));
}

function revokeConfirm(k, refresh, close) {
  const error = el('div', { class: 'error', role: 'alert', hidden: true, 'data-test': 'revoke-error' });
  return el('div', { class: 'confirm', 'data-test': 'revoke-box' },
    el('p', {}, 'Revoke ', el('strong', {}, k.name), ' (' + k.key_prefix + '…)? Requests with it are refused '
      + 'from the next one on (401). This cannot be undone.'),
    el('button', { type: 'button', class: 'danger', 'data-test': 'revoke-confirm', onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        await api('/admin/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
        await refresh();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        ev.target.disabled = false;
      }
    } }, 'Revoke ' + k.name),
    ' ',
    el('button', { type: 'button', class: 'secondary', 'data-test': 'revoke-cancel', onclick: close }, 'Cancel'),
    error);
}

function editForm(k, refresh, close) {
  const error = el('div', { class: 'error', role: 'alert', hidden: true, 'data-test': 'edit-error' });
  const form = el('form', { class: 'inline', 'data-test': 'edit-form' },
    field('Team', input('team', k.team || '', 'team', 'no team')),
    field('Models (comma-separated)', input('models', k.models ? k.models.join(', ') : '', 'models', 'every model')),
    field('rpm', input('rpm', String(k.limits.rpm || ''), 'limits.rpm', 'no limit', 'numeric')),
    field('tpm', input('tpm', String(k.limits.tpm || ''), 'limits.tpm', 'no limit', 'numeric')),
    field('Max concurrency', input('max_concurrency', String(k.limits.max_concurrency || ''), 'limits.max_concurrency',
      'no limit', 'numeric')),
    field('Priority', select('priority', PRIORITIES, k.priority, 'priority')),
    field('Budget USD', input('budget_usd', k.budget ? String(Number(k.budget.usd)) : '', 'budget.usd', 'no budget',
      'decimal')),
    field('Period', select('budget_period', PERIODS, k.budget ? k.budget.period : 'monthly', 'budget.period')),
    field('Mode', select('budget_mode', MODES, k.budget ? k.budget.mode : 'hard', 'budget.mode')),
    field('Expires (UTC)', input('expires_at', k.expires_at ? toLocalInput(k.expires_at) : '', 'expires_at', '',
      null, 'datetime-local')),
    el('button', { type: 'submit', 'data-test': 'edit-save' }, 'Save'),
    el('button', { type: 'button', class: 'secondary', 'data-test': 'edit-cancel', onclick: close }, 'Cancel'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    hideError(error, form);
    const body = changes(k, form);
    if (!Object.keys(body).length) {
      close();
      return;
    }
    try {
      await api('/admin/keys/' + encodeURIComponent(k.id), { method: 'PATCH', body });
      await refresh();
    } catch (e) {
      showError(error, form, e);
    }
  });
  return el('div', {}, form, error);
}

/** The PATCH body: only the fields the form changed; a cleared field is sent as null (cleared). */
function changes(k, form) {
  const v = (name) => form.elements[name].value.trim();
  const body = {};
  const team = v('team') || null;
  if (team !== (k.team || null)) body.team = team;
  const models = list(v('models'));
  if (JSON.stringify(models) !== JSON.stringify(k.models || null)) body.models = models;
  const limits = {};
  for (const [name, field] of [['rpm', 'rpm'], ['tpm', 'tpm'], ['max_concurrency', 'max_concurrency']]) {
    const n = count(v(name));
    if (String(n) !== String(k.limits[field] || 0)) limits[field] = n;
  }
  if (Object.keys(limits).length) body.limits = limits;
  if (v('priority') !== k.priority) body.priority = v('priority');
  const budget = budgetOf(v('budget_usd'), v('budget_period'), v('budget_mode'));
  const before = k.budget ? { usd: String(Number(k.budget.usd)), period: k.budget.period, mode: k.budget.mode } : null;
  if (JSON.stringify(budget) !== JSON.stringify(before)) body.budget = budget;
  const expires = v('expires_at') ? fromLocalInput(v('expires_at')) : null;
  if (expires !== (k.expires_at ? fromLocalInput(toLocalInput(k.expires_at)) : null)) body.expires_at = expires;
  return body;
}

function createKeyForm(submit, error) {
  const form = el('form', { id: 'key-create-form', class: 'inline' },
    field('Name', input('name', '', 'name', 'e.g. search-service', null, 'text', true)),
    field('Team', input('team', '', 'team', 'optional')),
    field('Models (comma-separated)', input('models', '', 'models', 'every model')),
    field('rpm', input('rpm', '', 'limits.rpm', 'no limit', 'numeric')),
    field('tpm', input('tpm', '', 'limits.tpm', 'no limit', 'numeric')),
    field('Max concurrency', input('max_concurrency', '', 'limits.max_concurrency', 'no limit', 'numeric')),
    field('Priority', select('priority', PRIORITIES, 'normal', 'priority')),
    field('Budget USD', input('budget_usd', '', 'budget.usd', 'no budget', 'decimal')),
    field('Period', select('budget_period', PERIODS, 'monthly', 'budget.period')),
    field('Mode', select('budget_mode', MODES, 'hard', 'budget.mode')),
    field('Expires (UTC)', input('expires_at', '', 'expires_at', '', null, 'datetime-local')),
    field('Metadata (JSON object)', el('textarea', { name: 'metadata', rows: 2, cols: 32, 'data-param': 'metadata',
      placeholder: '{"owner": "ops@example.com"}' })),
    el('button', { type: 'submit', id: 'key-create-submit' }, 'Create key'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim();
    const body = { name: v('name') };
    if (v('team')) body.team = v('team');
    const models = list(v('models'));
    if (models) body.models = models;
    const limits = {};
    for (const name of ['rpm', 'tpm', 'max_concurrency']) {
      if (v(name)) limits[name] = count(v(name));
    }
    if (Object.keys(limits).length) body.limits = limits;
    body.priority = v('priority');
    const budget = budgetOf(v('budget_usd'), v('budget_period'), v('budget_mode'));
    if (budget) body.budget = budget;
    if (v('expires_at')) body.expires_at = fromLocalInput(v('expires_at'));
    if (v('metadata')) {
      let metadata;
      try {
        metadata = JSON.parse(v('metadata'));
      } catch (e) {
        metadata = undefined;
      }
      if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
        showError(error, form, { param: 'metadata',
          message: 'metadata must be a JSON object, such as {"owner": "ops@example.com"}' });
        return;
      }
      body.metadata = metadata;
    }
    submit(body, form);
  });
  return form;
}

/**
 * The dialog that shows a new key's plain text, once. Closing it (or leaving the page) drops the
 * text: nothing else on the page or in the API holds it.
 */
function showOnce(slot, created) {
  const value = el('input', { id: 'key-shown-value', class: 'mono', readonly: true, 'aria-label': 'the new key',
    size: 60 });
  value.value = created.key; // a property, not an attribute: the key is never in the markup
  const status = el('span', { id: 'key-shown-status', class: 'muted', role: 'status' });
  const copy = el('button', { type: 'button', id: 'key-shown-copy', onclick: async () => {
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(value.value);
      status.textContent = 'Copied to the clipboard.';
    } catch (e) {
      // Without the clipboard API (plain http to a remote host) the text is selected for Ctrl+C.
      value.focus();
      value.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (ignored) {
        copied = false;
      }
      status.textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy it.';
    }
  } }, 'Copy');
  const dialog = el('div', { id: 'key-shown', class: 'shown-once', role: 'dialog', 'aria-modal': 'false',
    'aria-labelledby': 'key-shown-title' },
    el('h2', { id: 'key-shown-title' }, 'New key for ' + created.name),
    el('p', { class: 'warn-text' }, 'Copy this key now: it is shown once and never again. Sluice keeps only its '
      + 'SHA-256; if it is lost, revoke it and create another.'),
    el('div', { class: 'inline' }, value, copy, status),
    el('p', { class: 'muted' }, 'Send it as Authorization: Bearer <key> (or x-api-key) to this gateway.'),
    el('button', { type: 'button', id: 'key-shown-done', class: 'secondary', onclick: () => show(slot) },
      'I have stored it — close'));
  show(slot, dialog);
  value.focus();
  value.select();
}

// ---- teams ---------------------------------------------------------------------------------

function teamsTable(teams) {
  if (!teams.length) {
    return empty('No teams created here yet.', 'Create one above to give several keys a shared budget; a key joins '
      + 'a team by its team field. Teams declared in the config file are not listed here.');
  }
  return el('div', { class: 'table-wrap' }, el('table', { id: 'teams-table' },
    el('thead', {}, el('tr', {}, ['Team', 'Budget', 'Spend this period', 'Alerts', 'Created'].map(h => el('th', {}, h)))),
    el('tbody', {}, teams.map(t => el('tr', { 'data-team': t.name },
      el('td', {}, t.name),
      el('td', {}, budgetText(t.budget)),
      el('td', { 'data-test': 'spend' }, spendCell(t.spend, t.budget)),
      el('td', {}, t.budget && t.budget.alert_thresholds.length
        ? t.budget.alert_thresholds.map(p => p + '%').join(', ')
          + (t.budget.alert_webhook ? ' → ' + t.budget.alert_webhook : ' (no webhook)')
        : el('span', { class: 'muted' }, 'none')),
      el('td', {}, fmtTime(t.created_at)))))));
}

function createTeamForm(submit) {
  const form = el('form', { id: 'team-create-form', class: 'inline' },
    field('Name', input('name', '', 'name', 'e.g. search', null, 'text', true)),
    field('Budget USD', input('budget_usd', '', 'budget.usd', 'no budget', 'decimal')),
    field('Period', select('budget_period', PERIODS, 'monthly', 'budget.period')),
    field('Mode', select('budget_mode', MODES, 'hard', 'budget.mode')),
    field('Alert webhook', input('alert_webhook', '', 'budget.alert_webhook', 'https://… (optional)')),
    field('Alert at (%)', input('alert_thresholds', '', 'budget.alert_thresholds', '50, 80, 100')),
    el('button', { type: 'submit', id: 'team-create-submit' }, 'Save team'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (name) => form.elements[name].value.trim();
    const body = { name: v('name') };
    const budget = budgetOf(v('budget_usd'), v('budget_period'), v('budget_mode'));
    if (budget) {
      if (v('alert_webhook')) budget.alert_webhook = v('alert_webhook');
      const thresholds = list(v('alert_thresholds'));
      if (thresholds) budget.alert_thresholds = thresholds.map(t => (/^\d+$/.test(t) ? Number(t) : t));
      body.budget = budget;
    }
    submit(body, form);
  });
  return form;
}

// ---- form helpers ----------------------------------------------------------------------------

function field(label, control) {
  return el('label', {}, label, control);
}

function input(name, value, param, placeholder, inputmode, type = 'text', required = false) {
  const node = el('input', { name, type, 'data-param': param, placeholder: placeholder || null,
    inputmode: inputmode || null, required });
  node.value = value;
  return node;
}

function select(name, options, value, param) {
  // The chosen option is marked selected, so a form reset returns to it, not to the first option.
  return el('select', { name, 'data-param': param },
    options.map(o => el('option', { value: o, selected: o === value }, o)));
}

/** A comma-separated list, or null when empty. */
function list(text) {
  const items = text.split(',').map(s => s.trim()).filter(Boolean);
  return items.length ? items : null;
}

/** A whole number for the API, or the text as typed so the API names what is wrong with it; '' is 0. */
function count(text) {
  if (!text) return 0;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** {usd, period, mode} with usd as typed (the API checks it), or null when no amount is given. */
function budgetOf(usd, period, mode) {
  return usd ? { usd, period, mode } : null;
}

// datetime-local inputs are read and written as UTC (the label says so), so what is shown is what is sent.
function toLocalInput(iso) {
  return new Date(iso).toISOString().slice(0, 16);
}

function fromLocalInput(value) {
  return value.length === 16 ? value + ':00Z' : value + 'Z';
}

function hideError(box, form) {
  box.hidden = true;
  box.textContent = '';
  for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
}

/** The API's own message, next to the form, and the field it names marked invalid. */
function showError(box, form, e) {
  box.textContent = e.message;
  box.hidden = false;
  if (e.param) {
    box.dataset.param = e.param;
    for (const n of form.querySelectorAll('[data-param]')) {
      if (n.dataset.param === e.param || e.param.startsWith(n.dataset.param + '[')) n.setAttribute('aria-invalid', 'true');
    }
  } else {
    delete box.dataset.param;
  }
}
