// The console's shell: who is signed in, the navigation, a hash router, and the helpers every page
// uses. Pages are ES modules under ./pages/; each exports default { title, admin, render }.
//
// Safety rule for every page: data from the API is only ever put into the DOM as text (el() sets
// textContent), never through innerHTML, so a model name or key metadata holding "<script>" stays
// inert text.

/** The pages in navigation order. admin: true hides a page from a client-key session. */
export const PAGES = [
  { path: 'overview', title: 'Overview', admin: false },
  { path: 'providers', title: 'Providers', admin: true },
  { path: 'requests', title: 'Requests', admin: false },
  { path: 'keys', title: 'Keys & teams', admin: true },
  { path: 'cost', title: 'Cost', admin: false },
  { path: 'config', title: 'Config', admin: true },
];

/** The signed-in session: { role: 'admin' | 'client', csrf, key_name, expires_at } from GET /ui/session. */
export let session = null;

/** An API error in the gateway's own format, thrown by api(). */
export class ApiError extends Error {
  constructor(status, type, message, param) {
    super(message || ('HTTP ' + status));
    this.status = status;
    this.type = type;
    this.param = param;
  }
}

/**
 * Calls the gateway's API with the session cookie. Writes carry the session's CSRF token.
 * query: an object of parameters (null/'' values left out). Resolves to the parsed JSON answer.
 */
export async function api(path, { method = 'GET', body, query } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { accept: 'application/json' };
  if (method !== 'GET' && session && session.csrf) headers['x-csrf-token'] = session.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (res.status === 401 && path !== '/ui/session') {
    location.assign('/ui/login?expired=1');
    throw new ApiError(401, 'authentication_error', 'Signed out');
  }
  if (!res.ok) {
    const err = (json && (json.error || json)) || {};
    throw new ApiError(res.status, err.type, err.message || text, err.param);
  }
  return json;
}

/**
 * Builds an element. attrs: properties/attributes (class, id, href, data-*, on* handlers as
 * functions); children: strings (as text) or nodes; null/false children are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces root's content with the given nodes. */
export function show(root, ...nodes) {
  root.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined && n !== false));
}

/** An empty state: what is missing and what to do next. */
export function empty(what, next) {
  return el('div', { class: 'empty' }, el('p', {}, what), next ? el('p', { class: 'muted' }, next) : null);
}

/** An error box for a failed API call. */
export function failure(e) {
  return el('div', { class: 'error', role: 'alert' }, 'Could not load: ' + (e && e.message ? e.message : String(e)));
}

export function fmtMs(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return v >= 10000 ? (v / 1000).toFixed(1) + ' s' : v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms';
}

export function fmtUsd(v) {
  if (v === null || v === undefined || v === '') return '–';
  const n = typeof v === 'string' ? Number(v) : v;
  if (Number.isNaN(n)) return String(v);
  // Cents for dollars; the API's micro-dollar precision for the sub-cent amounts single requests cost.
  const a = Math.abs(n);
  return '$' + (a >= 1 ? n.toFixed(2) : a >= 0.01 || a === 0 ? n.toFixed(4) : n.toFixed(6));
}

export function fmtInt(v) {
  return v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US');
}

export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

let current = null; // the page on screen: { cleanup }
let navigation = 0; // counts navigations, so a page that finishes loading after the user moved on is dropped

async function route() {
  const mine = ++navigation;
  const hash = location.hash.replace(/^#\/?/, '') || 'overview';
  const [path, ...rest] = hash.split('/');
  const page = PAGES.find(p => p.path === path && (!p.admin || session.role === 'admin')) || PAGES[0];
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === page.path);
  }
  if (current && typeof current.cleanup === 'function') current.cleanup();
  current = null;
  // Each page renders into its own container: a slower earlier page that is still loading writes
  // into a container no longer on screen instead of over the page the user went to.
  const view = el('div', { class: 'page', 'data-page': page.path }, el('p', { class: 'muted' }, 'Loading…'));
  show(document.getElementById('main'), view);
  try {
    const module = await import('./pages/' + page.path + '.js');
    if (mine !== navigation) return;
    document.title = page.title + ' · Sluice';
    const cleanup = await module.default.render(view, { args: rest.map(decodeURIComponent), session });
    if (mine !== navigation) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    current = { cleanup };
  } catch (e) {
    if (mine === navigation) show(view, failure(e));
  }
}

async function start() {
  try {
    session = await api('/ui/session');
  } catch (e) {
    location.assign('/ui/login');
    return;
  }
  const nav = document.getElementById('nav');
  show(nav, PAGES.filter(p => !p.admin || session.role === 'admin')
    .map(p => el('a', { href: '#/' + p.path, 'data-page': p.path }, p.title)));
  const signOut = el('form', { method: 'post', action: '/ui/logout', class: 'signout' },
    el('input', { type: 'hidden', name: 'csrf', value: session.csrf }),
    el('button', { type: 'submit' }, 'Sign out'));
  show(document.getElementById('who'),
    el('span', {}, session.role === 'admin' ? 'admin' : 'key: ' + (session.key_name || '')), signOut);
  window.addEventListener('hashchange', route);
  await route();
}

start();
