// Config (admin only): the config the gateway runs with, every secret redacted, and the result of
// `sluice config check` on it — both from GET /admin/config. Shown as text only.
import { api, el, show, failure } from '../app.js';

export default {
  async render(main) {
    show(main, el('h1', {}, 'Config'), el('p', { class: 'muted' }, 'Loading…'));
    let report;
    try {
      report = await api('/admin/config');
    } catch (e) {
      show(main, el('h1', {}, 'Config'), failure(e));
      return;
    }
    const check = report.check;
    const problems = check.problems.length
      ? el('ul', { id: 'config-problems' }, check.problems.map(p => el('li', {}, (p.path || '(root)') + ': ' + p.message)))
      : el('p', { class: 'muted', id: 'config-problems' }, 'No problems.');
    const warnings = check.warnings.length
      ? el('ul', { id: 'config-warnings' }, check.warnings.map(w => el('li', {}, 'left out: ' + w)))
      : el('p', { class: 'muted', id: 'config-warnings' }, 'No warnings: nothing in the file was left out.');
    show(main,
      el('h1', {}, 'Config'),
      el('h2', {}, 'Check'),
      el('p', { id: 'config-check' },
        el('span', { class: 'badge ' + (check.valid ? 'ok' : 'bad') }, check.valid ? 'valid' : 'invalid'), ' ',
        check.summary, el('span', { class: 'muted' }, ' — ', el('code', {}, 'sluice config check'), ' of ', check.source)),
      el('h2', {}, 'Problems'), problems,
      el('h2', {}, 'Warnings'), warnings,
      el('h2', {}, 'Effective config'),
      el('p', { class: 'muted' }, 'As loaded: defaults filled in, ${env:…} resolved, every secret shown as [redacted]'
        + ' (URLs keep no password or query value, alert webhooks only their origin). Change it in the YAML file'
        + ' and restart.'),
      el('pre', { id: 'config-text' }, JSON.stringify(report.config, null, 2)));
  },
};
