// The web page of Entente: the same API as curl, with the key kept in this tab only
// (sessionStorage). Forms are built from /openapi.json, which derives from the zod schemas, so the
// page never carries a second copy of a command's shape. Text from the API is always set as
// textContent, never as HTML.
'use strict';

const KEY = 'entente-api-key';
const main = document.getElementById('main');
let openapi;
let me;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

async function api(method, path, body, accept) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(KEY) || ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accept) headers.accept = accept;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = res.headers.get('content-type') || '';
  return { status: res.status, body: type.includes('json') ? await res.json() : await res.text(), type };
}

/** A problem+json as a person reads it: the title, the reason, and each field that failed. */
function problemText(p) {
  if (!p || typeof p !== 'object') return String(p);
  const fields = (p.errors || []).map((e) => `${e.pointer}: ${e.detail}`);
  return [p.title, p.detail, ...fields].filter(Boolean).join(' — ');
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
// getRandomValues, not randomUUID: the latter exists only on https or localhost pages.
const requestId = () => `web-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

function table(headers, rows) {
  if (rows.length === 0) return el('p', { class: 'muted' }, 'None.');
  return el('table', {}, el('tr', {}, headers.map((h) => el('th', {}, h))), rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c ?? '')))));
}

// ── Sign-in ─────────────────────────────────────────────────────────────────────────────────

function signIn(message) {
  main.replaceChildren(
    el('section', {},
      el('h1', {}, 'Sign in with your API key'),
      el('p', { class: 'muted' }, 'The coordinator’s key, or the key the coordinator issued to you as a clerk, signatory or champion. It stays in this browser tab.'),
      message ? el('p', { class: 'error' }, message) : null,
      el('form', {
        onsubmit: async (e) => {
          e.preventDefault();
          sessionStorage.setItem(KEY, e.target.key.value.trim());
          await route();
        },
      }, el('input', { name: 'key', type: 'password', size: 48, autocomplete: 'off', required: true }), ' ', el('button', {}, 'Sign in'))));
}

// ── Coordinator: the list, and a new partnership ─────────────────────────────────────────────

async function home() {
  if (me.role !== 'coordinator') {
    location.hash = `#/p/${me.partnershipId}`;
    return;
  }
  const stage = new URLSearchParams(location.hash.split('?')[1] || '').get('stage') || '';
  const list = await api('GET', `/partnerships?pageSize=100${stage ? `&stage=${encodeURIComponent(stage)}` : ''}`);
  const stages = openapi.paths['/partnerships'].get.parameters.find((p) => p.name === 'stage').schema.enum;
  main.replaceChildren(
    el('section', {},
      el('h1', {}, 'Partnerships'),
      el('label', {}, 'Stage ', el('select', { onchange: (e) => (location.hash = e.target.value ? `#/?stage=${e.target.value}` : '#/') },
        el('option', { value: '' }, 'all'), stages.map((s) => el('option', { value: s, selected: s === stage }, s)))),
      list.status === 200
        ? table(['partnership', 'stage', 'template', 'parties', 'next deadline'], list.body.items.map((p) => [
            el('a', { href: `#/p/${p.id}` }, p.id), el('span', { class: 'stage' }, p.stage), p.template, (p.parties || []).join(', '), when(p.nextDeadline),
          ]))
        : el('p', { class: 'error' }, problemText(list.body)),
      el('p', { class: 'muted' }, 'The list comes from Temporal’s visibility store and may lag a change by a second.')),
    startForm());
}

function startForm() {
  const out = el('p');
  const body = el('textarea', { name: 'body', rows: 16, spellcheck: 'false' });
  body.value = JSON.stringify(START_EXAMPLE, null, 2);
  return el('section', {},
    el('details', {}, el('summary', {}, 'Start a partnership'),
      el('p', { class: 'muted' }, 'The start request as JSON (see the API reference, StartPartnership). Durations are optional and default to the template’s.'),
      el('form', {
        onsubmit: async (e) => {
          e.preventDefault();
          let parsed;
          try {
            parsed = JSON.parse(body.value);
          } catch (err) {
            out.replaceChildren(el('span', { class: 'error' }, `Not JSON: ${err.message}`));
            return;
          }
          const res = await api('POST', '/partnerships', parsed);
          if (res.status === 201) location.hash = `#/p/${res.body.id}`;
          else out.replaceChildren(el('span', { class: 'error' }, problemText(res.body)));
        },
      }, body, el('button', {}, 'Start'), out)));
}

// ── One partnership ─────────────────────────────────────────────────────────────────────────

async function partnership(id) {
  const res = await api('GET', `/partnerships/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    main.replaceChildren(el('section', {}, el('p', { class: 'error' }, problemText(res.body))));
    return;
  }
  const s = res.body;
  const currentDraft = s.drafts.at(-1);
  main.replaceChildren(
    el('section', {},
      el('h1', {}, s.title),
      el('p', {}, el('span', { class: 'stage' }, s.stage), ` since ${when(s.stageSince)} · ${s.template}`),
      el('p', {}, s.purpose),
      s.closedReason ? el('p', { class: 'muted' }, s.closedReason) : null,
      s.term ? el('p', {}, `In force since ${s.term.effectiveOn}, term ${s.term.number} ends on ${s.term.endsOn}.`) : null,
      s.notice ? el('p', { class: 'error' }, `Notice given by ${s.notice.partyId} (${s.notice.noticeDays} days): ends on ${s.notice.endsOn}.`) : null,
      el('p', {},
        el('a', { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/agreement`, 'text/html', `${id}-agreement.html`)) }, 'Agreement (HTML)'), ' · ',
        el('a', { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/agreement`, 'text/markdown', `${id}-agreement.md`)) }, 'Markdown'), ' · ',
        el('a', { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/calendar.ics`, 'text/calendar', `${id}.ics`)) }, 'Calendar (.ics)'), ' · ',
        el('a', { href: `#/p/${id}/decisions` }, 'Decision register'))),
    el('section', {}, el('h2', {}, 'Parties and what each still owes'),
      table(['party', 'governing body', 'status', 'owes'], s.parties.map((p) => [`${p.legalName} (${p.id})`, p.governingBody, p.status, p.owes.join(', ')]))),
    el('section', {}, el('h2', {}, 'Pending actions'),
      table(['what', 'party', 'since', 'next reminder'], s.pendingActions.map((a) => [a.detail ? `${a.what}: ${a.detail}` : a.what, a.partyId, when(a.since), when(a.nextReminderAt)])),
      el('h2', {}, 'Next timers'), table(['timer', 'party', 'at'], s.nextTimers.map((t) => [t.kind, t.partyId, when(t.at)]))),
    el('section', {}, el('h2', {}, 'Act on it'), commandForms(s, currentDraft)),
    el('section', {}, el('h2', {}, 'Drafts'),
      table(['version', 'title', 'SHA-256', 'submitted'], s.drafts.map((d) => [String(d.version), d.title, el('code', {}, d.sha256.slice(0, 16) + '…'), when(d.submittedAt)])),
      el('h2', {}, 'Resolutions'),
      table(['party', 'subject', 'outcome', 'number', 'adopted on'], s.resolutions.map((r) => [r.partyId, r.draftVersion ? `${r.subject} of v${r.draftVersion}` : r.subject, r.outcome, r.resolutionNumber, r.adoptedOn])),
      el('h2', {}, 'Signatures'),
      table(['party', 'signatory', 'signed on', 'version'], s.signatures.map((g) => [g.partyId, `${g.signatoryName}, ${g.signatoryTitle}`, g.signedOn, `v${g.draftVersion}`])),
      el('h2', {}, 'Feedback'),
      table(['version', 'from', 'author', 'comments'], s.feedback.map((f) => [`v${f.draftVersion}`, f.partyId || f.community, f.author, f.comments]))),
    el('section', {}, el('h2', {}, 'Timeline'), table(['when', 'event', 'party', 'detail'], s.timeline.map((t) => [when(t.at), t.event, t.partyId, t.detail]))),
    me.role === 'coordinator' ? accessKeyForm(id, s) : null);
}

/** A file from an authenticated route, saved by the browser (a plain link cannot send the key). */
async function download(path, accept, filename) {
  const res = await api('GET', path, undefined, accept);
  if (res.status !== 200) {
    alert(problemText(res.body));
    return;
  }
  const url = URL.createObjectURL(new Blob([res.body], { type: accept }));
  el('a', { href: url, download: filename }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One form per command this key may send, each built from its JSON Schema in /openapi.json. */
function commandForms(s, currentDraft) {
  const forms = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    const op = item.post;
    if (!op || !op.operationId || !path.startsWith('/partnerships/{id}/')) continue;
    if (!(op['x-entente-roles'] || []).includes(me.role)) continue;
    const ref = op.requestBody.content['application/json'].schema.$ref.split('/').pop();
    forms.push(commandForm(s, path.replace('{id}', s.id), op, openapi.components.schemas[ref], currentDraft));
  }
  return forms.length ? forms : el('p', { class: 'muted' }, 'This key sends no commands.');
}

function commandForm(s, path, op, schema, currentDraft) {
  const out = el('p');
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties).filter(([name]) => name !== 'requestId');
  // Kept until the command is applied: sending the same form twice (a double click, a retry after
  // a lost answer) carries the same requestId, which the workflow applies once.
  let pending = requestId();
  const form = el('form', {
    class: 'command',
    onsubmit: async (e) => {
      e.preventDefault();
      const body = { requestId: pending };
      for (const [name, prop] of fields) {
        const input = form.elements[name];
        if (prop.type === 'boolean' || prop.const === true) {
          if (input.checked) body[name] = true;
          else if (prop.type === 'boolean') body[name] = false;
        } else if (input.value.trim() !== '') {
          body[name] = prop.type === 'integer' || prop.type === 'number' ? Number(input.value) : input.value;
        }
      }
      const res = await api('POST', path, body);
      if (res.status === 200) {
        pending = requestId();
        out.replaceChildren(el('span', { class: 'ok' }, 'Applied.'));
        setTimeout(route, 600);
      } else {
        out.replaceChildren(el('span', { class: 'error' }, `${res.status}: ${problemText(res.body)}`));
      }
    },
  },
  fields.map(([name, prop]) => el('label', {}, el('span', {}, required.has(name) ? `${name} *` : name), input(name, prop, s, currentDraft))),
  el('button', {}, 'Send'), out);
  const title = (op['x-entente-title'] || {})[navigator.language.startsWith('fr') ? 'fr' : 'en'] || op.summary;
  return el('details', {}, el('summary', {}, title, ' ', el('code', { class: 'muted' }, op.operationId)), form);
}

function input(name, prop, s, currentDraft) {
  const defaults = {
    partyId: me.partyId,
    draftVersion: currentDraft && currentDraft.version,
    draftHash: currentDraft && currentDraft.sha256,
    version: s.drafts.length + 1,
  };
  const value = defaults[name];
  if (name === 'partyId') {
    return el('select', { name }, el('option', { value: '' }, '—'),
      s.parties.map((p) => el('option', { value: p.id, selected: p.id === value }, `${p.legalName} (${p.id})`)));
  }
  if (prop.enum) return el('select', { name }, el('option', { value: '' }, '—'), prop.enum.map((v) => el('option', { value: v }, v)));
  if (prop.type === 'boolean' || prop.const === true) return el('input', { name, type: 'checkbox' });
  if (prop.type === 'integer' || prop.type === 'number') return el('input', { name, type: 'number', min: prop.minimum, max: prop.maximum, value });
  if (prop.format === 'date') return el('input', { name, type: 'date' });
  if (prop.format === 'uri') return el('input', { name, type: 'url', size: 50 });
  if ((prop.maxLength || 0) > 300) return el('textarea', { name });
  return el('input', { name, type: 'text', size: 40, maxlength: prop.maxLength, value });
}

function accessKeyForm(id, s) {
  const out = el('p');
  const list = el('div');
  const showKeys = async () => {
    const res = await api('GET', `/partnerships/${id}/access-keys`);
    if (res.status !== 200) return list.replaceChildren(el('p', { class: 'error' }, problemText(res.body)));
    list.replaceChildren(table(['issued', 'role', 'party', 'label', 'status', ''], res.body.keys.map((k) => [
      when(k.createdAt), k.role, k.partyId, k.label, k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active',
      k.revokedAt ? '' : el('button', {
        type: 'button',
        onclick: async () => {
          const revoked = await api('POST', `/partnerships/${id}/access-keys/${k.id}/revoke`);
          if (revoked.status !== 200) alert(problemText(revoked.body));
          showKeys();
        },
      }, 'Revoke'),
    ])));
  };
  showKeys();
  return el('section', {}, el('h2', {}, 'Keys of party contacts'), list, el('details', {}, el('summary', {}, 'Issue a key to a party contact'),
    el('form', {
      onsubmit: async (e) => {
        e.preventDefault();
        const f = e.target;
        const res = await api('POST', `/partnerships/${id}/access-keys`, { role: f.role.value, partyId: f.partyId.value, ...(f.label.value ? { label: f.label.value } : {}) });
        out.replaceChildren(res.status === 201
          ? el('span', { class: 'ok' }, 'Key (shown once; give it to that person only): ', el('code', {}, res.body.key))
          : el('span', { class: 'error' }, problemText(res.body)));
        if (res.status === 201) showKeys();
      },
    },
    el('label', {}, el('span', {}, 'role'), el('select', { name: 'role' }, ['clerk', 'signatory', 'champion'].map((r) => el('option', { value: r }, r)))),
    el('label', {}, el('span', {}, 'party'), el('select', { name: 'partyId' }, s.parties.map((p) => el('option', { value: p.id }, p.legalName)))),
    el('label', {}, el('span', {}, 'label'), el('input', { name: 'label', placeholder: 'e.g. the clerk of Riverside' })),
    el('button', {}, 'Issue'), out)));
}

async function decisions(id) {
  const res = await api('GET', `/partnerships/${encodeURIComponent(id)}/decisions`);
  if (res.status !== 200) {
    main.replaceChildren(el('section', {}, el('p', { class: 'error' }, problemText(res.body))));
    return;
  }
  const { chain, decisions: rows } = res.body;
  main.replaceChildren(el('section', {},
    el('h1', {}, `Decision register: ${id}`),
    el('p', {}, el('a', { href: `#/p/${id}` }, '← back')),
    chain.ok
      ? el('p', { class: 'ok' }, `Hash chain intact over ${chain.rows} rows.`)
      : el('p', { class: 'error' }, `Hash chain broken at row ${chain.firstBroken.seq} (${chain.firstBroken.key}): ${chain.firstBroken.reason}.`),
    table(['#', 'occurred', 'kind', 'actor', 'party', 'details'], rows.map((r) => [String(r.seq), when(r.occurredAt), r.kind, r.actor, r.partyId, JSON.stringify(r.payload)]))));
}

// ── Routing ─────────────────────────────────────────────────────────────────────────────────

async function route() {
  const who = document.getElementById('who');
  const signOut = document.getElementById('sign-out');
  if (!sessionStorage.getItem(KEY)) {
    who.textContent = '';
    signOut.hidden = true;
    return signIn();
  }
  const res = await api('GET', '/me');
  if (res.status !== 200) {
    sessionStorage.removeItem(KEY);
    return signIn(problemText(res.body));
  }
  me = res.body;
  who.textContent = me.role === 'coordinator' ? 'coordinator' : `${me.role} of ${me.partyId} in ${me.partnershipId}`;
  signOut.hidden = false;
  openapi ??= (await api('GET', '/openapi.json')).body;
  const [, view, id, sub] = location.hash.split('?')[0].split('/');
  if (view === 'p' && id && sub === 'decisions') return decisions(decodeURIComponent(id));
  if (view === 'p' && id) return partnership(decodeURIComponent(id));
  return home();
}

const START_EXAMPLE = {
  template: 'oden-mou',
  title: 'Shared library services',
  purpose: 'A memorandum of understanding for shared library services',
  coordinator: { name: 'A. Tremblay', email: 'coordination@example.org', language: 'fr' },
  parties: [
    { id: 'riverside', legalName: 'Town of Riverside', kind: 'municipality', governingBody: 'Municipal council', language: 'en',
      contacts: { champion: { name: '', email: '' }, clerk: { name: '', email: '' }, signatory: { name: '', title: 'Mayor', email: '' } } },
    { id: 'maple', legalName: 'Maple First Nation', kind: 'first-nation', governingBody: 'Band council', language: 'fr',
      contacts: { champion: { name: '', email: '' }, clerk: { name: '', email: '' }, signatory: { name: '', title: 'Chef', email: '' } } },
  ],
  durations: { term: '24 months', noticePeriod: '60 days' },
};

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);
route();
