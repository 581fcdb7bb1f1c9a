/*
 * mxshift console: a small single-page app over the operator API (decision 0031). No framework, no build step, nothing
 * from the network: it calls /api/v1 with the token the operator pasted (kept in this tab's sessionStorage) and hears
 * state changes as server-sent events. The server decides what a token may see and do; this page only shows it.
 */
'use strict';

const API = '/api/v1';
const TOKEN_KEY = 'mxshift.token';
const PAGE = 200;

const STATUS_ORDER = ['NEW', 'REQUESTED', 'DISCOVERED', 'READY', 'MIGRATING', 'ROLLING_BACK', 'COMPLETED', 'ROLLED_BACK',
  'CANCELLED', 'DISCOVERY_FAILED', 'BLOCKED', 'CONFLICT', 'FAILED'];
const ACTIONS = [
  ['replay', 'Replay'], ['start', 'Start'], ['confirm', 'Confirm'], ['pause', 'Pause'], ['resume', 'Resume'], ['rollback', 'Roll back']];
const ACTION_WORDS = {replay: 'Replay', start: 'Start', confirm: 'Confirm', pause: 'Pause', resume: 'Resume', rollback: 'Roll back',
  cancel: 'Cancel'};
/** Actions that undo work: asked again, naming the count. */
const CONFIRMED = new Set(['rollback', 'cancel']);

const app = {
  token: sessionStorage.getItem(TOKEN_KEY),
  caller: null,
  lines: new Map(),
  loaded: false,
  stream: null,
  selection: new Set(),
  open: new Set(),
  filters: {text: '', status: '', tenant: '', wave: ''},
  page: 0,
  showAllTenants: false,
  domain: null,
  deadLetters: {service: 'dns-push-service', letters: null, selection: new Set()},
  microsoft: {tenant: '', organization: '', script: null, graph: null, graphAt: 0},
  /** Completions and stops over time: the server's buckets, counted from the event log, extended with what the stream brings. */
  chart: null,
};

// ---- small DOM helpers: every text goes in as text, never as HTML ----

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.substring(2), v);
    else if (k === 'width') el.style.width = v;
    else if (k === 'height') el.style.height = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const fmt = n => Number(n).toLocaleString('en');
const $ = id => document.getElementById(id);

function say(text, error) {
  const m = $('message');
  m.textContent = text || '';
  m.classList.toggle('error', !!error);
}

// ---- the API ----

/** A call on the API with the token; a body goes as JSON, or as it is with its {@code type} (a CSV file). */
async function call(method, path, body, type) {
  const headers = {Authorization: 'Bearer ' + app.token};
  if (body !== undefined) headers['Content-Type'] = type || 'application/json';
  const res = await fetch(API + path, {method, headers, body: body === undefined ? undefined : type ? body : JSON.stringify(body)});
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (res.status === 401) {
    signOut('The token was refused (unknown, revoked or expired): sign in again.');
    throw new Error('unauthenticated');
  }
  if (!res.ok) throw new Error((json && json.error) || ('HTTP ' + res.status));
  return json;
}

async function loadList() {
  const answer = await call('GET', '/console/domains');
  app.caller = answer.caller;
  const fresh = new Map();
  for (const l of answer.domains) {
    const known = app.lines.get(l.domain);
    fresh.set(l.domain, known && known.sequence > l.sequence ? known : l);
  }
  app.lines = fresh;
  app.loaded = true;
  showWho();
  render();
}

/** The buckets of completions and stops the server counted from the event log (this token's domains only). */
async function loadChart() {
  app.chart = await call('GET', '/console/throughput');
  if (currentView().view === 'overview') renderSoon();
}

/** Brings the chart's buckets up to now: a bucket per width of time that passed, empty until something happens in it. */
function extendChart() {
  const c = app.chart;
  const width = c.bucketSeconds * 1000;
  let last = Date.parse(c.buckets[c.buckets.length - 1].start);
  while (Date.now() >= last + width) {
    last += width;
    c.buckets.push({start: new Date(last).toISOString(), completed: 0, stopped: 0});
  }
  // as many bars as the server gives at most (Throughput.MAX_BUCKETS)
  if (c.buckets.length > 60) c.buckets.splice(0, c.buckets.length - 60);
}

/** A completion or a stop the stream just brought, counted in the current bucket. */
function countLive(kind) {
  if (!app.chart) return;
  extendChart();
  app.chart.buckets[app.chart.buckets.length - 1][kind]++;
  app.chart[kind]++;
}

/** Completions per hour over the last 6 buckets up to now: Throughput.ratePerHour's rule, on the extended buckets. */
function ratePerHour(buckets) {
  const recent = buckets.slice(-6);
  const seconds = Math.max(1, (Date.now() - Date.parse(recent[0].start)) / 1000);
  return recent.reduce((n, b) => n + b.completed, 0) * 3600 / seconds;
}

function duration(hours) {
  if (hours < 1) return fmt(Math.max(1, Math.ceil(hours * 60))) + ' min';
  if (hours < 48) return fmt(Math.round(hours * 10) / 10) + ' h';
  return fmt(Math.round(hours / 24 * 10) / 10) + ' days';
}

/** Reads the server-sent events with fetch (an EventSource cannot send the Authorization header). */
async function openStream() {
  if (!app.token) return;
  const control = new AbortController();
  app.stream = control;
  setLive('connecting', 'connecting');
  try {
    const res = await fetch(API + '/console/events', {headers: {Authorization: 'Bearer ' + app.token, Accept: 'text/event-stream'},
      signal: control.signal});
    if (res.status === 401) { signOut('The token was refused (unknown, revoked or expired): sign in again.'); return; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.substring(0, end);
        buffer = buffer.substring(end).replace(/^\r?\n\r?\n/, '');
        handleEvent(block);
      }
    }
  } catch (e) {
    if (control.signal.aborted) return;
  }
  if (app.stream === control && app.token) {
    setLive('off', 'reconnecting');
    setTimeout(openStream, 2000);
  }
}

function handleEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) name = line.substring(6).trim();
    else if (line.startsWith('data:')) data.push(line.substring(5).replace(/^ /, ''));
  }
  if (name === 'hello') {
    setLive('on', 'live');
    loadList().catch(e => say('Could not load the domains: ' + e.message, true));
    loadChart().catch(e => say('Could not load the completions over time: ' + e.message, true));
  } else if (name === 'changes' && data.length) {
    let changed = false;
    for (const l of JSON.parse(data.join('\n'))) {
      const known = app.lines.get(l.domain);
      if (!known || known.sequence <= l.sequence) {
        if (known && known.status !== 'COMPLETED' && l.status === 'COMPLETED') countLive('completed');
        if (known && !known.reason && l.reason) countLive('stopped');
        app.lines.set(l.domain, l);
        changed = true;
      }
      if (app.domain && app.domain.domain === l.domain) reloadDomainSoon();
    }
    if (changed) renderSoon();
  }
}

function setLive(kind, text) {
  const live = $('live');
  live.className = 'live ' + kind;
  live.textContent = text;
}

// ---- sign in and out ----

function signOut(why) {
  sessionStorage.removeItem(TOKEN_KEY);
  app.token = null;
  app.caller = null;
  app.lines = new Map();
  app.loaded = false;
  app.chart = null;
  if (app.stream) app.stream.abort();
  app.stream = null;
  setLive('', '');
  location.hash = '#/login';
  route();
  say(why || '', !!why);
}

function showWho() {
  const c = app.caller;
  $('who').textContent = c ? c.name + ' · ' + (c.tenant ? 'tenant ' + c.tenant : 'all tenants') : '';
  $('nav').hidden = !c;
  $('sign-out').hidden = !c;
  $('nav-dead-letters').hidden = !(c && c.tenant === null);
}

function loginView() {
  const input = h('input', {id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-help'});
  const form = h('form', {class: 'login panel', onsubmit: async e => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    app.token = token;
    try {
      const answer = await call('GET', '/console/domains');
      sessionStorage.setItem(TOKEN_KEY, token);
      app.caller = answer.caller;
      say('');
      showWho();
      location.hash = '#/overview';
      openStream();
    } catch (err) {
      app.token = null;
      if (err.message !== 'unauthenticated') say('Sign-in failed: ' + err.message, true);
    }
  }},
  h('h1', {}, 'Sign in'),
  h('label', {for: 'token'}, 'API token'),
  input,
  h('p', {id: 'token-help', class: 'muted'}, 'Paste a token made with ./mxshift api-token. It stays in this browser tab only ',
    '(sessionStorage) and is sent with every call as a bearer token; a tenant\'s token shows that tenant\'s domains only.'),
  h('button', {type: 'submit', id: 'sign-in'}, 'Sign in'));
  return form;
}

// ---- figures ----

function kindOf(l) {
  if (l.status === 'COMPLETED') return 'done';
  if (l.reason) return 'stopped';
  if (l.waiting || l.held) return 'waiting';
  if (l.status === 'ROLLED_BACK' || l.status === 'CANCELLED') return 'idle';
  return 'moving';
}

const KIND_WORDS = {done: 'completed', stopped: 'stopped', moving: 'under way', waiting: 'waiting for a person', idle: 'rolled back or cancelled'};

function tally(lines) {
  const t = {total: 0, done: 0, stopped: 0, moving: 0, waiting: 0, idle: 0, held: 0};
  for (const l of lines) {
    t.total++;
    t[kindOf(l)]++;
    if (l.held) t.held++;
  }
  return t;
}

function groupsOf(lines) {
  const groups = new Map();
  for (const l of lines) {
    const key = l.reason || l.waiting;
    if (!key) continue;
    if (!groups.has(key)) groups.set(key, {key, stopped: !!l.reason, action: l.action, todo: l.todo, domains: []});
    groups.get(key).domains.push(l);
  }
  return [...groups.values()].sort((a, b) => b.domains.length - a.domains.length || a.key.localeCompare(b.key));
}

function progressRow(label, t, extra) {
  const pct = n => (t.total ? (100 * n / t.total) : 0) + '%';
  return [
    h('span', {class: 'label mono', title: label}, label),
    h('div', {class: 'bar', role: 'progressbar', 'aria-label': label + ': completed', 'aria-valuemin': '0', 'aria-valuemax': String(t.total),
      'aria-valuenow': String(t.done), 'data-progress': label},
      h('span', {class: 's-done', width: pct(t.done)}), h('span', {class: 's-moving', width: pct(t.moving)}),
      h('span', {class: 's-waiting', width: pct(t.waiting)}), h('span', {class: 's-stopped', width: pct(t.stopped)}),
      h('span', {class: 's-idle', width: pct(t.idle)})),
    h('span', {class: 'text', 'data-progress-text': label}, fmt(t.done) + ' / ' + fmt(t.total) + ' completed',
      t.stopped ? ' · ' + fmt(t.stopped) + ' stopped' : '', t.held ? ' · ' + fmt(t.held) + ' on hold' : '', extra || '')];
}

/**
 * Completions and stops over time, from the event log (the server's buckets, extended live), and when the domains left
 * would be done at the current rate.
 */
function rateSection(t) {
  const c = app.chart;
  const head = h('h2', {id: 'h-rate'}, 'Completions and stops over time');
  if (!c) return h('section', {class: 'panel', 'aria-labelledby': 'h-rate'}, head, h('p', {}, 'Reading the event log …'));
  extendChart();
  const left = t.total - t.done - t.stopped - t.idle;
  const rate = ratePerHour(c.buckets);
  const max = Math.max(1, ...c.buckets.map(b => b.completed + b.stopped));
  const width = c.bucketSeconds >= 3600 ? fmt(c.bucketSeconds / 3600) + ' h' : fmt(c.bucketSeconds / 60) + ' min';
  const when = at => new Date(at).toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  return h('section', {class: 'panel', 'aria-labelledby': 'h-rate'}, head,
    h('p', {id: 'rate'}, fmt(c.completed) + ' completed, ' + fmt(c.stopped) + ' stopped since ' + when(c.from) + '; ',
      left <= 0 ? 'nothing left to go.' : rate > 0
        ? 'at the current rate (' + (rate >= 1 ? fmt(Math.round(rate)) + ' an hour' : fmt(Math.round(rate * 240) / 10) + ' a day') + ') the ' + fmt(left) + ' left finish in about '
          + duration(left / rate) + ', around ' + when(Date.now() + left / rate * 3600000) + '.'
        : 'no completion lately to estimate when the ' + fmt(left) + ' left finish.'),
    h('div', {class: 'chart', id: 'chart', role: 'img', 'data-completed': String(c.completed), 'data-stopped': String(c.stopped),
      'aria-label': 'completions (green) and stops (red) per ' + width + ', ' + c.buckets.length + ' bars'},
      ...c.buckets.map(b => h('span', {class: 'col', title: when(b.start) + ': ' + b.completed + ' completed, ' + b.stopped + ' stopped'},
        h('span', {class: 's-stopped', height: (100 * b.stopped / max) + '%'}),
        h('span', {class: 's-done', height: (100 * b.completed / max) + '%'})))),
    h('div', {class: 'chart-axis', 'aria-hidden': 'true'}, h('span', {}, when(c.buckets[0].start)), h('span', {}, 'a bar per ' + width),
      h('span', {}, 'now')));
}

function legend() {
  return h('div', {class: 'legend', 'aria-hidden': 'true'}, ...['done', 'moving', 'waiting', 'stopped', 'idle'].map(k =>
    h('span', {}, h('i', {class: 's-' + k}), KIND_WORDS[k])));
}

// ---- views ----

function overviewView() {
  const lines = [...app.lines.values()];
  const byStatus = new Map();
  for (const l of lines) byStatus.set(l.status, (byStatus.get(l.status) || 0) + 1);
  const max = Math.max(1, ...byStatus.values());
  const states = STATUS_ORDER.filter(s => byStatus.has(s));
  const t = tally(lines);

  const statusBars = h('div', {class: 'bars', id: 'states'}, ...states.map(s => {
    const kind = kindOf({status: s, reason: ['DISCOVERY_FAILED', 'BLOCKED', 'CONFLICT', 'FAILED'].includes(s) ? s : null});
    return [h('a', {class: 'label', href: '#/domains?status=' + s}, s),
      h('div', {class: 'bar', 'aria-hidden': 'true'}, h('span', {class: 's-' + kind, width: (100 * byStatus.get(s) / max) + '%'})),
      h('span', {class: 'count', 'data-status': s}, fmt(byStatus.get(s)))];
  }).flat());

  const waves = new Map();
  const tenants = new Map();
  for (const l of lines) {
    const w = l.wave || '(no wave)';
    if (!waves.has(w)) waves.set(w, []);
    waves.get(w).push(l);
    if (!tenants.has(l.tenant)) tenants.set(l.tenant, []);
    tenants.get(l.tenant).push(l);
  }
  const waveRows = [...waves.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([w, ls]) => {
    const wt = tally(ls);
    const held = ls.filter(l => l.held).map(l => l.domain);
    const row = progressRow(w, wt);
    row.push(held.length ? h('button', {type: 'button', class: 'quiet', onclick: () => act('start', held, 'wave ' + w)},
      'Start ' + fmt(held.length)) : h('span'));
    return row;
  });
  const tenantList = [...tenants.entries()].map(([tn, ls]) => [tn, tally(ls)])
    .sort((a, b) => (b[1].total - b[1].done) - (a[1].total - a[1].done) || String(a[0]).localeCompare(String(b[0])));
  const shown = app.showAllTenants ? tenantList : tenantList.slice(0, 25);

  const groups = groupsOf(lines);
  return h('div', {},
    h('h1', {}, 'Overview'),
    h('p', {class: 'muted', id: 'summary'}, fmt(t.total) + ' domains: ' + fmt(t.done) + ' completed, ' + fmt(t.moving) + ' under way, ' +
      fmt(t.waiting) + ' waiting for a person, ' + fmt(t.stopped) + ' stopped.'),
    h('div', {class: 'grid'},
      h('section', {class: 'panel', 'aria-labelledby': 'h-states'}, h('h2', {id: 'h-states'}, 'Domains per state'), statusBars),
      rateSection(t),
      h('section', {class: 'panel', 'aria-labelledby': 'h-waiting'}, h('h2', {id: 'h-waiting'}, 'Waiting for a person'),
        groups.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Reason'), h('th', {class: 'num'}, 'Domains'), h('th', {}, 'Action'))),
          h('tbody', {}, ...groups.map(g => h('tr', {},
            h('td', {}, h('a', {href: '#/groups', class: 'mono'}, g.key)), h('td', {class: 'num'}, fmt(g.domains.length)),
            h('td', {}, ACTION_WORDS[g.action] || '')))))
          : h('p', {}, 'Nothing waits for a person.'))),
    h('section', {'aria-labelledby': 'h-waves'}, h('h2', {id: 'h-waves'}, 'Progress per wave'), legend(),
      h('div', {class: 'progress', id: 'waves'}, ...waveRows.flat()),
      exportButtons('waves', () => [...waves.entries()].map(([w, ls]) => ({wave: w, ...tally(ls)})))),
    h('section', {'aria-labelledby': 'h-tenants'}, h('h2', {id: 'h-tenants'}, 'Progress per tenant'),
      h('div', {class: 'progress', id: 'tenants'}, ...shown.map(([tn, tt]) => progressRow(String(tn), tt).concat([h('span')])).flat()),
      tenantList.length > shown.length || app.showAllTenants ? h('button', {type: 'button', class: 'quiet', onclick: () => {
        app.showAllTenants = !app.showAllTenants; render();
      }}, app.showAllTenants ? 'Show the 25 with most to do' : 'Show all ' + fmt(tenantList.length) + ' tenants') : null,
      exportButtons('tenants', () => tenantList.map(([tn, tt]) => ({tenant: tn, ...tt})))));
}

function groupsView() {
  const groups = groupsOf([...app.lines.values()]);
  const stopped = groups.filter(g => g.stopped);
  const waiting = groups.filter(g => !g.stopped);
  const section = g => {
    const names = g.domains.map(l => l.domain);
    const id = 'group-' + g.key;
    const open = app.open.has(g.key);
    const chosen = names.filter(n => app.selection.has(n));
    return h('section', {class: 'group' + (g.stopped ? '' : ' waiting'), id, 'data-group': g.key, 'aria-labelledby': id + '-h'},
      h('header', {},
        h('h3', {id: id + '-h', class: 'mono'}, g.key),
        h('span', {class: 'count', 'data-count': g.key}, fmt(names.length)),
        h('span', {class: 'muted'}, g.domains.length === 1 ? 'domain' : 'domains')),
      h('p', {class: 'todo'}, g.todo || ''),
      h('div', {class: 'actions'},
        g.action ? h('button', {type: 'button', 'data-group-action': g.key, onclick: () => act(g.action, names, g.key)},
          ACTION_WORDS[g.action] + ' all ' + fmt(names.length)) : null,
        h('button', {type: 'button', class: 'quiet', 'aria-expanded': String(open), 'aria-controls': id + '-list', onclick: () => {
          if (open) app.open.delete(g.key); else app.open.add(g.key);
          render();
        }}, open ? 'Hide the domains' : 'Show the domains'),
        exportButtons(g.key, () => g.domains)),
      open ? h('div', {id: id + '-list'},
        selectionActions(chosen, g.key),
        domainTable(g.domains, {select: true})) : null);
  };
  return h('div', {},
    h('h1', {}, 'Needs a person'),
    h('h2', {}, 'Stopped, by reason (' + fmt(stopped.reduce((n, g) => n + g.domains.length, 0)) + ')'),
    stopped.length ? stopped.map(section) : h('p', {}, 'No domain is stopped.'),
    h('h2', {}, 'Waiting for a person (' + fmt(waiting.reduce((n, g) => n + g.domains.length, 0)) + ')'),
    waiting.length ? waiting.map(section) : h('p', {}, 'No domain waits for a person.'));
}

function selectionActions(chosen, what) {
  return h('div', {class: 'actions', role: 'group', 'aria-label': 'Act on the selected domains'},
    h('span', {class: 'muted', 'data-selected': String(chosen.length)}, fmt(chosen.length) + ' selected:'),
    ...ACTIONS.map(([a, words]) => h('button', {type: 'button', class: a === 'rollback' ? 'danger' : 'quiet', disabled: chosen.length === 0,
      'data-selection-action': a, onclick: () => act(a, chosen, what + ' (selection)')}, words)));
}

function filtered() {
  const f = app.filters;
  const text = f.text.toLowerCase();
  return [...app.lines.values()].filter(l => (!f.status || l.status === f.status) && (!f.tenant || l.tenant === f.tenant)
    && (!f.wave || (l.wave || '') === f.wave)
    && (!text || l.domain.includes(text) || (l.detail || '').toLowerCase().includes(text) || (l.reason || '').toLowerCase().includes(text)))
    .sort((a, b) => a.domain.localeCompare(b.domain));
}

function domainsView() {
  const lines = filtered();
  const pages = Math.max(1, Math.ceil(lines.length / PAGE));
  app.page = Math.min(app.page, pages - 1);
  const page = lines.slice(app.page * PAGE, (app.page + 1) * PAGE);
  const all = [...app.lines.values()];
  const options = (values, chosen) => [h('option', {value: ''}, 'any')].concat([...new Set(values)].sort().map(v =>
    h('option', {value: v, selected: v === chosen}, v)));
  const change = key => e => { app.filters[key] = e.target.value; app.page = 0; render(); };
  const chosen = lines.map(l => l.domain).filter(d => app.selection.has(d));
  return h('div', {},
    h('h1', {}, 'Domains'),
    h('form', {class: 'filters', role: 'search', onsubmit: e => e.preventDefault()},
      h('div', {class: 'field'}, h('label', {for: 'f-text'}, 'Name, reason or detail contains'),
        h('input', {id: 'f-text', type: 'search', value: app.filters.text, oninput: change('text')})),
      h('div', {class: 'field'}, h('label', {for: 'f-status'}, 'State'),
        h('select', {id: 'f-status', onchange: change('status')}, options(all.map(l => l.status), app.filters.status))),
      h('div', {class: 'field'}, h('label', {for: 'f-tenant'}, 'Tenant'),
        h('select', {id: 'f-tenant', onchange: change('tenant')}, options(all.map(l => l.tenant), app.filters.tenant))),
      h('div', {class: 'field'}, h('label', {for: 'f-wave'}, 'Wave'),
        h('select', {id: 'f-wave', onchange: change('wave')}, options(all.map(l => l.wave || ''), app.filters.wave)))),
    h('div', {class: 'actions'},
      h('span', {}, fmt(lines.length) + ' domains'),
      h('button', {type: 'button', class: 'quiet', onclick: () => { lines.forEach(l => app.selection.add(l.domain)); render(); }},
        'Select all ' + fmt(lines.length)),
      h('button', {type: 'button', class: 'quiet', onclick: () => { app.selection.clear(); render(); }}, 'Clear the selection'),
      exportButtons('domains', () => lines)),
    selectionActions(chosen, 'domains'),
    domainTable(page, {select: true}),
    pages > 1 ? h('div', {class: 'pager'},
      h('button', {type: 'button', class: 'quiet', disabled: app.page === 0, onclick: () => { app.page--; render(); }}, 'Previous'),
      h('span', {}, 'page ' + (app.page + 1) + ' of ' + pages),
      h('button', {type: 'button', class: 'quiet', disabled: app.page >= pages - 1, onclick: () => { app.page++; render(); }}, 'Next')) : null);
}

function domainTable(lines, options) {
  const shown = lines.slice(0, 1000);
  return h('div', {class: 'scroll'}, h('table', {},
    h('thead', {}, h('tr', {},
      options.select ? h('th', {}, h('span', {class: 'muted'}, 'Select')) : null,
      h('th', {}, 'Domain'), h('th', {}, 'Tenant'), h('th', {}, 'Wave'), h('th', {}, 'State'), h('th', {}, 'Detail'))),
    h('tbody', {}, ...shown.map(l => h('tr', {'data-domain': l.domain},
      options.select ? h('td', {}, h('input', {type: 'checkbox', id: 'sel-' + l.domain, 'aria-label': 'select ' + l.domain,
        checked: app.selection.has(l.domain), onchange: e => {
          if (e.target.checked) app.selection.add(l.domain); else app.selection.delete(l.domain);
          render();
        }})) : null,
      h('td', {}, h('a', {href: '#/domain/' + encodeURIComponent(l.domain), class: 'mono'}, l.domain)),
      h('td', {}, l.tenant || ''), h('td', {}, l.wave || ''),
      h('td', {}, h('span', {class: 'badge ' + kindOf(l)}, l.status), l.held ? ' on hold' : '', l.paused ? ' paused' : ''),
      h('td', {}, l.detail || ''))))),
  lines.length > shown.length ? h('p', {class: 'muted'}, 'The first 1,000 of ' + fmt(lines.length) + ' are shown; the export has all.') : null);
}

async function domainView(name) {
  const main = $('main');
  let d;
  try {
    d = await call('GET', '/domains/' + encodeURIComponent(name));
  } catch (e) {
    if (e.message !== 'unauthenticated') main.replaceChildren(h('h1', {}, name), h('p', {}, e.message));
    return;
  }
  app.domain = d;
  if (currentView().view !== 'domain') return;
  const plan = d.plan;
  const steps = list => h('ol', {class: 'plan'}, ...list.map(s => h('li', {}, h('span', {class: 'mono'}, s.step),
    h('span', {class: 'standing badge ' + ({done: 'done', current: 'moving', stopped: 'stopped'}[s.standing] || '')}, s.standing))));
  const r = d.records || {};
  const ignored = d.history.filter(e => e.ignoredBecause);
  main.replaceChildren(h('div', {},
    h('p', {}, h('a', {href: '#/domains'}, '← All domains')),
    h('h1', {class: 'mono', id: 'domain-name'}, d.domain),
    h('p', {}, 'Tenant ', h('strong', {}, d.tenant || '?'), ' · ', h('span', {class: 'badge ' + kindOf({status: d.status,
      reason: ['DISCOVERY_FAILED', 'BLOCKED', 'CONFLICT', 'FAILED'].includes(d.status) ? d.status : null})}, d.status),
    ' · DNSSEC: ' + ((d.dnssec && d.dnssec.phase) || 'none')),
    h('p', {id: 'domain-detail'}, d.detail || ''),
    h('div', {class: 'actions', role: 'group', 'aria-label': 'Act on this domain'},
      ...ACTIONS.concat([['cancel', 'Cancel']]).map(([a, words]) => h('button', {type: 'button', class: CONFIRMED.has(a) ? 'danger' : 'quiet',
        onclick: () => act(a, [d.domain], d.domain)}, words))),
    h('div', {class: 'grid'},
      h('section', {class: 'panel', 'aria-labelledby': 'h-records'}, h('h2', {id: 'h-records'}, 'MX records'),
        h('dl', {},
          h('dt', {}, 'Discovered'), h('dd', {class: 'mono'}, r.discovered || '—'),
          h('dt', {}, 'Now'), h('dd', {class: 'mono'}, r.now || '—'),
          h('dt', {}, "Microsoft's new MX host"), h('dd', {class: 'mono'}, r.target || 'not known yet'),
          r.expected || r.actual ? [h('dt', {}, 'The plan expected'), h('dd', {class: 'mono'}, r.expected || '(nothing)'),
            h('dt', {}, 'The provider held'), h('dd', {class: 'mono'}, r.actual || '(nothing)')] : null)),
      h('section', {class: 'panel', 'aria-labelledby': 'h-plan'}, h('h2', {id: 'h-plan'}, 'Plan'),
        plan ? [h('p', {}, 'Direction: ' + plan.direction), steps(plan.steps), h('h3', {}, 'Its rollback'), steps(plan.rollback)]
          : h('p', {}, 'No plan yet.'))),
    h('section', {'aria-labelledby': 'h-timeline'}, h('h2', {id: 'h-timeline'}, 'Timeline (' + d.history.length + ' events)'),
      ignored.length ? h('p', {id: 'ignored-note', class: 'muted'}, fmt(ignored.length) + ' event(s) marked ignored: the workflow did not act on',
        ' them (a repeat, an action that lost the race or was asked twice); the audit trail keeps them, as history does.') : null,
      exportButtons(d.domain + '-timeline', () => d.history.map(e => ({sequence: e.sequence, time: e.time, type: e.type,
        actor: e.actor ? e.actor.name + ' (' + e.actor.channel + ')' : '', summary: e.summary, stateAfter: e.stateAfter,
        ignoredBecause: e.ignoredBecause || ''}))),
      h('div', {class: 'scroll'}, h('table', {class: 'timeline', id: 'timeline'},
        h('thead', {}, h('tr', {}, h('th', {class: 'num'}, '#'), h('th', {}, 'Time'), h('th', {}, 'Event'), h('th', {}, 'Who'),
          h('th', {}, 'What'), h('th', {}, 'State after'))),
        h('tbody', {}, ...d.history.slice().reverse().map(e => h('tr', {'data-event': e.type, class: e.ignoredBecause ? 'ignored' : null,
          'data-ignored': e.ignoredBecause ? 'true' : null},
          h('td', {class: 'num'}, e.sequence), h('td', {class: 'mono'}, e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
          h('td', {}, e.type, e.ignoredBecause ? [' ', h('span', {class: 'badge idle'}, 'ignored')] : null),
          h('td', {}, e.actor ? e.actor.name + ' (' + e.actor.channel + ')' : 'service'),
          h('td', {}, e.summary || ''),
          h('td', {}, e.ignoredBecause ? h('span', {class: 'why'}, 'ignored by the workflow: ' + e.ignoredBecause) : e.stateAfter || '')))))))));
}

let reloadTimer = null;
function reloadDomainSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => { if (currentView().view === 'domain') domainView(currentView().arg); }, 400);
}

function deadLettersView() {
  const dl = app.deadLetters;
  const services = ['discovery-service', 'validation-service', 'record-generation-service', 'dns-push-service'];
  const load = async () => {
    try {
      dl.letters = await call('GET', '/dead-letters?service=' + encodeURIComponent(dl.service));
      dl.selection.clear();
    } catch (e) {
      dl.letters = [];
      say('Could not read the dead letters: ' + e.message, true);
    }
    render();
  };
  if (dl.letters === null) { dl.letters = []; load(); }
  const replay = async body => {
    try {
      const answer = await call('POST', '/dead-letters/replay', Object.assign({service: dl.service}, body));
      say('Replayed ' + answer.replayed + ' dead letter(s) from ' + answer.from + ' into ' + answer.into + '.');
    } catch (e) { say('Replay failed: ' + e.message, true); }
  };
  return h('div', {},
    h('h1', {}, 'Dead letters'),
    h('p', {class: 'muted'}, 'What a service could not process, with the reason. They may be any tenant\'s: all-tenants tokens only.'),
    h('form', {class: 'filters', onsubmit: e => { e.preventDefault(); load(); }},
      h('div', {class: 'field'}, h('label', {for: 'dl-service'}, 'Service'),
        h('select', {id: 'dl-service', onchange: e => { dl.service = e.target.value; load(); }},
          ...services.map(s => h('option', {value: s, selected: s === dl.service}, s)))),
      h('button', {type: 'submit', class: 'quiet'}, 'Read again')),
    h('div', {class: 'actions'},
      h('span', {}, fmt(dl.letters.length) + ' dead letter(s)'),
      h('button', {type: 'button', disabled: dl.selection.size === 0, onclick: () => replay({offsets: [...dl.selection]})},
        'Replay the ' + fmt(dl.selection.size) + ' selected'),
      h('button', {type: 'button', class: 'quiet', disabled: dl.letters.length === 0, onclick: () => replay({all: true})}, 'Replay all'),
      exportButtons('dead-letters-' + dl.service, () => dl.letters)),
    h('div', {class: 'scroll'}, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Select'), h('th', {}, 'Position'), h('th', {}, 'Domain'), h('th', {}, 'Reason'))),
      h('tbody', {}, ...dl.letters.map(l => {
        const position = l.partition + ':' + l.offset;
        return h('tr', {}, h('td', {}, h('input', {type: 'checkbox', 'aria-label': 'select ' + position, checked: dl.selection.has(position),
          onchange: e => { if (e.target.checked) dl.selection.add(position); else dl.selection.delete(position); render(); }})),
        h('td', {class: 'mono'}, position), h('td', {class: 'mono'}, l.key || ''), h('td', {}, l.reason || ''));
      })))));
}

function microsoftView() {
  const m = app.microsoft;
  const lines = [...app.lines.values()];
  const dane = l => l.waiting === 'AWAITING_ENABLE_SMTP_DANE_INBOUND';
  // a domain blocked for two reasons (TARGET_UNKNOWN+ZONE_INSECURE) waits for its target too
  const target = l => (l.reason || '').split('+').includes('TARGET_UNKNOWN');
  const tenants = app.caller.tenant ? [app.caller.tenant]
    : [...new Set(lines.filter(l => target(l) || dane(l)).map(l => l.tenant))].sort();
  if (!m.tenant || !tenants.includes(m.tenant)) m.tenant = tenants[0] || '';
  const waitingForTarget = lines.filter(l => l.tenant === m.tenant && target(l));
  const waitingForDane = lines.filter(l => l.tenant === m.tenant && dane(l));
  const write = async () => {
    try {
      const answer = await call('GET', '/console/microsoft?tenant=' + encodeURIComponent(m.tenant)
        + (m.organization ? '&delegatedOrganization=' + encodeURIComponent(m.organization) : ''));
      m.script = answer.script;
      render();
    } catch (e) { if (e.message !== 'unauthenticated') say('Could not write the script: ' + e.message, true); }
  };
  const upload = async () => {
    const file = $('ms-csv').files[0];
    if (!file) { say('Choose the CSV the script exported first.', true); return; }
    try {
      const answer = await call('POST', '/imports', await file.text(), 'text/csv');
      say('Imported ' + file.name + ': ' + JSON.stringify(answer) + '. Replay the domains waiting for their target to go on.');
    } catch (e) { if (e.message !== 'unauthenticated') say('The import was refused: ' + e.message, true); }
  };
  // Microsoft Graph (decision 0034): asked again at most every 5 s while the view redraws
  if (Date.now() - m.graphAt > 5000) {
    m.graphAt = Date.now();
    call('GET', '/console/graph').then(g => { m.graph = g; render(); }).catch(() => {});
  }
  return h('div', {},
    h('h1', {}, 'Microsoft round trip'),
    h('p', {class: 'muted'}, 'Microsoft assigns each domain its new MX host (Enable-DnssecForVerifiedDomain) and turns on DANE for it ',
      '(Enable-SmtpDaneInbound); only the tenant\'s Exchange administrator, or its partner, can run them.'),
    graphPanel(m.graph),
    tenants.length === 0 ? h('p', {}, 'Nothing waits for Microsoft.') : h('div', {},
      h('form', {class: 'filters', onsubmit: e => { e.preventDefault(); write(); }},
        h('div', {class: 'field'}, h('label', {for: 'ms-tenant'}, 'Tenant'),
          h('select', {id: 'ms-tenant', onchange: e => { m.tenant = e.target.value; m.script = null; render(); }},
            ...tenants.map(t => h('option', {value: t, selected: t === m.tenant}, t)))),
        h('div', {class: 'field'}, h('label', {for: 'ms-org'}, 'Partner: the customer\'s organization (-DelegatedOrganization)'),
          h('input', {id: 'ms-org', type: 'text', value: m.organization, placeholder: 'contoso.onmicrosoft.com',
            oninput: e => { m.organization = e.target.value.trim(); }})),
        h('button', {type: 'submit', id: 'ms-write'}, 'Write the PowerShell')),
      h('p', {id: 'ms-counts'}, fmt(waitingForTarget.length) + ' domain(s) wait for Microsoft\'s new MX host (TARGET_UNKNOWN), '
        + fmt(waitingForDane.length) + ' for Enable-SmtpDaneInbound.'),
      m.script ? [h('pre', {id: 'ms-script', class: 'panel mono', tabindex: '0', 'aria-label': 'the PowerShell script'}, m.script),
        h('button', {type: 'button', class: 'quiet', onclick: () => download(m.tenant + '-microsoft.ps1', 'text/plain', m.script)},
          'Download the script')] : null,
      h('h2', {}, '1. The CSV the script exported'),
      h('div', {class: 'actions'},
        h('label', {for: 'ms-csv'}, 'CSV file (tenant,domain,dnssec_mx_value,error)'),
        // one element for the page's life: a file chosen stays chosen while live updates redraw the view
        m.file || (m.file = h('input', {id: 'ms-csv', type: 'file', accept: '.csv,text/csv'})),
        h('button', {type: 'button', onclick: upload}, 'Import it')),
      h('h2', {}, '2. Go on'),
      h('div', {class: 'actions'},
        h('button', {type: 'button', disabled: waitingForTarget.length === 0,
          onclick: () => act('replay', waitingForTarget.map(l => l.domain), 'waiting for their target')},
        'Replay the ' + fmt(waitingForTarget.length) + ' waiting for their target'),
        h('button', {type: 'button', disabled: waitingForDane.length === 0,
          onclick: () => act('confirm', waitingForDane.map(l => l.domain), 'Enable-SmtpDaneInbound run')},
        'Confirm Enable-SmtpDaneInbound for ' + fmt(waitingForDane.length))),
      waitingForTarget.length + waitingForDane.length ? domainTable(waitingForTarget.concat(waitingForDane), {select: false}) : null));
}

/** Whether Microsoft Graph gives the targets without a person, and the domains it gave one. */
function graphPanel(g) {
  if (!g) return null;
  const served = g.configured && g.servesYourTenant !== false;
  return h('div', {id: 'ms-graph', class: 'panel'},
    h('p', {}, served
      ? 'Microsoft Graph is configured' + (g.baseUrl ? ' (' + g.baseUrl + ', tenants ' + g.tenants + ')' : '')
        + ': domains waiting for their new MX host get it from Graph once Enable-DnssecForVerifiedDomain has run, and go on by themselves.'
      : 'Microsoft Graph is not configured' + (g.configured ? ' for this tenant' : '')
        + ': run the PowerShell below and import the CSV it exports (README: "Microsoft Graph").'),
    g.resolved.length ? [h('p', {}, fmt(g.resolved.length) + ' domain(s) got their host from Graph:'),
      h('table', {'aria-label': 'domains Graph resolved'},
        h('thead', {}, h('tr', {}, h('th', {}, 'Domain'), h('th', {}, 'Tenant'), h('th', {}, 'New MX host'), h('th', {}, 'When'))),
        h('tbody', {}, ...g.resolved.map(r => h('tr', {}, h('td', {class: 'mono'}, r.domain), h('td', {}, r.tenant),
          h('td', {class: 'mono'}, r.target), h('td', {}, r.at)))))] : null);
}

// ---- acting: the API's own action endpoints, with the names of the domains shown ----

async function act(action, domains, what) {
  if (!domains.length) return;
  let reason;
  if (CONFIRMED.has(action)) {
    reason = await confirmDialog(action, domains.length, what);
    if (reason === null) return;
  }
  say(ACTION_WORDS[action] + ': asking for ' + fmt(domains.length) + ' domain(s) …');
  try {
    const results = await call('POST', '/actions/' + action, reason ? {domains, reason} : {domains});
    const counts = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] || 0) + 1;
    const refused = results.filter(r => r.outcome !== 'done' && r.outcome !== 'pending');
    say(ACTION_WORDS[action] + ' (' + what + '): ' + Object.entries(counts).map(([k, n]) => fmt(n) + ' ' + k).join(', ')
      + (refused.length ? '. First refusal: ' + refused[0].domain + ': ' + (refused[0].detail || refused[0].outcome) : '.'), refused.length > 0);
    domains.forEach(d => app.selection.delete(d));
    render();
  } catch (e) {
    if (e.message !== 'unauthenticated') say(ACTION_WORDS[action] + ' failed: ' + e.message, true);
  }
}

function confirmDialog(action, count, what) {
  const dialog = $('confirm');
  $('confirm-title').textContent = ACTION_WORDS[action] + ' ' + fmt(count) + (count === 1 ? ' domain?' : ' domains?');
  $('confirm-text').textContent = (action === 'rollback'
    ? 'Each of the ' + fmt(count) + ' domains (' + what + ') goes back to the MX records it had, in Microsoft\'s rollback order.'
    : 'Each of the ' + fmt(count) + ' domains (' + what + ') stops for good with its current, mail-safe MX records.');
  $('confirm-ok').textContent = ACTION_WORDS[action] + ' ' + fmt(count);
  $('confirm-reason').value = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? ($('confirm-reason').value.trim() || 'from the console') : null);
    }, {once: true});
    dialog.returnValue = '';
    dialog.showModal();
  });
}

// ---- export: every list as CSV or JSON, as it is shown ----

function exportButtons(name, rows) {
  return h('span', {class: 'actions'},
    h('button', {type: 'button', class: 'quiet', 'data-export': name + '.csv', onclick: () => download(name + '.csv', 'text/csv', toCsv(rows()))},
      'Export CSV'),
    h('button', {type: 'button', class: 'quiet', 'data-export': name + '.json', onclick: () => download(name + '.json', 'application/json',
      JSON.stringify(rows(), null, 2))}, 'Export JSON'));
}

function toCsv(rows) {
  if (!rows.length) return '';
  const columns = [...new Set(rows.flatMap(r => Object.keys(r)))];
  const cell = v => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // a cell a spreadsheet would run as a formula is quoted with a leading apostrophe
    const safe = /^[=+\-@]/.test(s) ? "'" + s : s;
    return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
  };
  return [columns.join(',')].concat(rows.map(r => columns.map(c => cell(r[c])).join(','))).join('\r\n') + '\r\n';
}

function download(name, type, text) {
  const a = h('a', {href: URL.createObjectURL(new Blob([text], {type})), download: name.replace(/[^A-Za-z0-9._-]/g, '_')});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// ---- routing and rendering ----

function currentView() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const [view, ...rest] = path.split('/');
  return {view: view || 'overview', arg: decodeURIComponent(rest.join('/')), query: new URLSearchParams(query || '')};
}

let renderTimer = null;
function renderSoon() {
  if (renderTimer) return;
  renderTimer = setTimeout(() => { renderTimer = null; render(); }, 250);
}

function render() {
  const {view} = currentView();
  if (!app.token || view === 'login') {
    $('main').replaceChildren(loginView());
    return;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (view === 'domain') return;
  if (!app.loaded) {
    $('main').replaceChildren(h('p', {}, 'Loading …'));
    return;
  }
  const active = document.activeElement;
  const focused = active && active.id;
  // a field being typed in keeps its caret when live updates redraw the view
  const caret = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
  const scroll = window.scrollY;
  const content = view === 'groups' ? groupsView() : view === 'domains' ? domainsView()
    : view === 'dead-letters' ? deadLettersView() : view === 'microsoft' ? microsoftView() : overviewView();
  $('main').replaceChildren(content);
  if (focused && $(focused) && $(focused) !== active) {
    $(focused).focus({preventScroll: true});
    if (caret && typeof $(focused).setSelectionRange === 'function') {
      try { $(focused).setSelectionRange(caret[0], caret[1]); } catch (e) { /* not a text field */ }
    }
  }
  window.scrollTo(0, scroll);
}

function route() {
  const {view, arg, query} = currentView();
  app.domain = null;
  if (view === 'domains' && query.has('status')) app.filters.status = query.get('status');
  if (view === 'domain' && app.token) {
    for (const a of document.querySelectorAll('#nav a')) a.removeAttribute('aria-current');
    $('main').replaceChildren(h('p', {}, 'Loading ' + arg + ' …'));
    domainView(arg);
    return;
  }
  render();
}

window.addEventListener('hashchange', () => { say(''); route(); $('main').focus({preventScroll: true}); });
document.addEventListener('DOMContentLoaded', () => {
  $('sign-out').addEventListener('click', () => signOut());
  if (app.token) {
    openStream();
    if (!location.hash || location.hash === '#/login') location.hash = '#/overview';
  }
  route();
});
