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

const when = (iso) => (iso ? new Date(iso).toLocaleString(lang() === 'fr' ? 'fr-CA' : 'en-CA') : '');
// getRandomValues, not randomUUID: the latter exists only on https or localhost pages.
const requestId = () => `web-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

function table(headers, rows) {
  if (rows.length === 0) return el('p', { class: 'muted' }, t('None.'));
  return el(
    'table',
    {},
    el(
      'tr',
      {},
      headers.map((h) => el('th', {}, h)),
    ),
    rows.map((r) =>
      el(
        'tr',
        {},
        r.map((c) => el('td', {}, c ?? '')),
      ),
    ),
  );
}

// ── Language: the browser's, or the one chosen in the header; French and English ─────────────

const LANG_KEY = 'entente-language';
const lang = () => localStorage.getItem(LANG_KEY) || (navigator.language.startsWith('fr') ? 'fr' : 'en');

const FR = {
  'None.': 'Aucun.',
  'Sign in with your API key': 'Connectez-vous avec votre clé d’API',
  'The coordinator’s key, or the key the coordinator issued to you as a clerk, signatory or champion. It stays in this browser tab.':
    'La clé de la coordination, ou celle que la coordination vous a remise comme greffier, signataire ou responsable. Elle reste dans cet onglet.',
  'Sign in': 'Se connecter',
  Partnerships: 'Partenariats',
  Stage: 'Étape',
  all: 'toutes',
  'The list comes from Temporal’s visibility store and may lag a change by a second.':
    'La liste vient de l’index de visibilité de Temporal et peut avoir une seconde de retard.',
  'Start a partnership': 'Lancer un partenariat',
  'The start request as JSON (see the API reference, StartPartnership). Durations are optional and default to the template’s.':
    'La demande de lancement en JSON (voir la référence de l’API, StartPartnership). Les durées sont facultatives ; à défaut, celles du modèle.',
  Start: 'Lancer',
  'Not JSON: {error}': 'JSON invalide : {error}',
  'since {when}': 'depuis le {when}',
  'In force since {since}; term {number} ends on {ends}.': 'En vigueur depuis le {since} ; le terme {number} prend fin le {ends}.',
  'Notice given by {party} ({days} days): ends on {ends}.': 'Avis donné par {party} ({days} jours) : prend fin le {ends}.',
  'Agreement (HTML)': 'Entente (HTML)',
  Markdown: 'Markdown',
  'Calendar (.ics)': 'Calendrier (.ics)',
  'Decision register': 'Registre des décisions',
  'Decision register: {id}': 'Registre des décisions : {id}',
  'Parties and what each still owes': 'Les parties et ce que chacune doit encore',
  'Pending actions': 'Actions en attente',
  'Next timers': 'Prochaines échéances',
  'Act on it': 'Agir',
  Drafts: 'Ébauches',
  Resolutions: 'Résolutions',
  Signatures: 'Signatures',
  Feedback: 'Rétroaction',
  Timeline: 'Historique',
  'This key sends no commands.': 'Cette clé n’envoie aucune commande.',
  'Applied.': 'Enregistré.',
  Send: 'Envoyer',
  Revoke: 'Révoquer',
  active: 'active',
  'revoked {when}': 'révoquée le {when}',
  'Keys of party contacts': 'Clés des personnes-ressources des parties',
  'Issue a key to a party contact': 'Remettre une clé à une personne-ressource',
  'Key (shown once; give it to that person only): ': 'Clé (affichée une seule fois ; ne la remettez qu’à cette personne) : ',
  Issue: 'Remettre',
  'e.g. the clerk of Riverside': 'p. ex. le greffier de Riverside',
  '← back': '← retour',
  'Hash chain intact over {rows} rows.': 'Chaîne de hachage intacte sur {rows} lignes.',
  'Hash chain broken at row {seq} ({key}): {reason}.': 'Chaîne de hachage rompue à la ligne {seq} ({key}) : {reason}.',
  'Forget this key': 'Oublier cette clé',
  coordinator: 'coordination',
  clerk: 'greffier',
  signatory: 'signataire',
  champion: 'responsable',
  '{role} of {party} in {partnership}': '{role} de {party} dans {partnership}',
  partnership: 'partenariat',
  stage: 'étape',
  template: 'modèle',
  parties: 'parties',
  'next deadline': 'prochaine échéance',
  party: 'partie',
  'governing body': 'instance décisionnelle',
  status: 'statut',
  owes: 'doit',
  what: 'quoi',
  since: 'depuis',
  'next reminder': 'prochain rappel',
  timer: 'échéance',
  at: 'le',
  version: 'version',
  title: 'titre',
  'SHA-256': 'SHA-256',
  submitted: 'déposée',
  subject: 'objet',
  outcome: 'issue',
  number: 'numéro',
  'adopted on': 'adoptée le',
  'signed on': 'signée le',
  from: 'de',
  author: 'auteur',
  comments: 'commentaires',
  text: 'texte',
  summary: 'résumé',
  reason: 'motif',
  Reviews: 'Évaluations',
  'held on': 'tenue le',
  findings: 'constats',
  'full text': 'texte intégral',
  '{size} bytes': '{size} octets',
  'Intake notes': 'Notes d’admission',
  when: 'quand',
  event: 'événement',
  detail: 'détail',
  issued: 'remise',
  role: 'rôle',
  label: 'libellé',
  '#': 'no',
  intake: 'admission',
  commitment: 'engagement',
  groundwork: 'travaux préparatoires',
  drafting: 'rédaction',
  consultation: 'consultation',
  revision: 'révision',
  approval: 'approbation',
  signing: 'signature',
  'in-force': 'en vigueur',
  notice: 'préavis',
  declined: 'refusée',
  abandoned: 'abandonnée',
  dissolved: 'dissoute',
  expired: 'expirée',
  occurred: 'survenue',
  kind: 'type',
  actor: 'acteur',
  details: 'détails',
};

/** The text in the page's language, with {name} filled from `vars`. */
function t(text, vars = {}) {
  const template = (lang() === 'fr' && FR[text]) || text;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

// ── Sign-in ─────────────────────────────────────────────────────────────────────────────────

function signIn(message) {
  main.replaceChildren(
    el(
      'section',
      {},
      el('h1', {}, t('Sign in with your API key')),
      el(
        'p',
        { class: 'muted' },
        t('The coordinator’s key, or the key the coordinator issued to you as a clerk, signatory or champion. It stays in this browser tab.'),
      ),
      message ? el('p', { class: 'error' }, message) : null,
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            sessionStorage.setItem(KEY, e.target.key.value.trim());
            await route();
          },
        },
        el('input', { name: 'key', type: 'password', size: 48, autocomplete: 'off', required: true }),
        ' ',
        el('button', {}, t('Sign in')),
      ),
    ),
  );
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
    el(
      'section',
      {},
      el('h1', {}, t('Partnerships')),
      el(
        'label',
        {},
        t('Stage'),
        ' ',
        el(
          'select',
          { onchange: (e) => (location.hash = e.target.value ? `#/?stage=${e.target.value}` : '#/') },
          el('option', { value: '' }, t('all')),
          stages.map((s) => el('option', { value: s, selected: s === stage }, t(s))),
        ),
      ),
      list.status === 200
        ? table(
            [t('partnership'), t('stage'), t('template'), t('parties'), t('next deadline')],
            list.body.items.map((p) => [
              el('a', { href: `#/p/${p.id}` }, p.id),
              el('span', { class: 'stage' }, t(p.stage)),
              p.template,
              (p.parties || []).join(', '),
              when(p.nextDeadline),
            ]),
          )
        : el('p', { class: 'error' }, problemText(list.body)),
      el('p', { class: 'muted' }, t('The list comes from Temporal’s visibility store and may lag a change by a second.')),
    ),
    startForm(),
  );
}

function startForm() {
  const out = el('p');
  const body = el('textarea', { name: 'body', rows: 16, spellcheck: 'false' });
  body.value = JSON.stringify(START_EXAMPLE, null, 2);
  return el(
    'section',
    {},
    el(
      'details',
      {},
      el('summary', {}, t('Start a partnership')),
      el(
        'p',
        { class: 'muted' },
        t('The start request as JSON (see the API reference, StartPartnership). Durations are optional and default to the template’s.'),
      ),
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            let parsed;
            try {
              parsed = JSON.parse(body.value);
            } catch (err) {
              out.replaceChildren(el('span', { class: 'error' }, t('Not JSON: {error}', { error: err.message })));
              return;
            }
            const res = await api('POST', '/partnerships', parsed);
            if (res.status === 201) location.hash = `#/p/${res.body.id}`;
            else out.replaceChildren(el('span', { class: 'error' }, problemText(res.body)));
          },
        },
        body,
        el('button', {}, t('Start')),
        out,
      ),
    ),
  );
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
    el(
      'section',
      {},
      el('h1', {}, s.title),
      el('p', {}, el('span', { class: 'stage' }, t(s.stage)), ` ${t('since {when}', { when: when(s.stageSince) })} · ${s.template}`),
      el('p', {}, s.purpose),
      s.intake && s.intake.notes ? el('p', { class: 'notes' }, `${t('Intake notes')}: `, content(s.intake.notes)) : null,
      s.closedReason ? el('p', { class: 'muted' }, s.closedReason) : null,
      s.term
        ? el('p', {}, t('In force since {since}; term {number} ends on {ends}.', { since: s.term.effectiveOn, number: s.term.number, ends: s.term.endsOn }))
        : null,
      s.notice
        ? el(
            'p',
            { class: 'error' },
            t('Notice given by {party} ({days} days): ends on {ends}.', { party: s.notice.partyId, days: s.notice.noticeDays, ends: s.notice.endsOn }),
          )
        : null,
      el(
        'p',
        {},
        el(
          'a',
          { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/agreement`, 'text/html', `${id}-agreement.html`)) },
          t('Agreement (HTML)'),
        ),
        ' · ',
        el(
          'a',
          { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/agreement`, 'text/markdown', `${id}-agreement.md`)) },
          t('Markdown'),
        ),
        ' · ',
        el(
          'a',
          { href: '#', onclick: (e) => (e.preventDefault(), download(`/partnerships/${id}/calendar.ics`, 'text/calendar', `${id}.ics`)) },
          t('Calendar (.ics)'),
        ),
        ' · ',
        el('a', { href: `#/p/${id}/decisions` }, t('Decision register')),
      ),
    ),
    el(
      'section',
      {},
      el('h2', {}, t('Parties and what each still owes')),
      table(
        [t('party'), t('governing body'), t('status'), t('owes')],
        s.parties.map((p) => [`${p.legalName} (${p.id})`, p.governingBody, p.status, p.owes.join(', ')]),
      ),
    ),
    el(
      'section',
      {},
      el('h2', {}, t('Pending actions')),
      table(
        [t('what'), t('party'), t('since'), t('next reminder')],
        s.pendingActions.map((a) => [a.detail ? `${a.what}: ${a.detail}` : a.what, a.partyId, when(a.since), when(a.nextReminderAt)]),
      ),
      el('h2', {}, t('Next timers')),
      table(
        [t('timer'), t('party'), t('at')],
        s.nextTimers.map((timer) => [timer.kind, timer.partyId, when(timer.at)]),
      ),
    ),
    el('section', {}, el('h2', {}, t('Act on it')), commandForms(s, currentDraft)),
    el(
      'section',
      {},
      el('h2', {}, t('Drafts')),
      table(
        [t('version'), t('title'), t('SHA-256'), t('submitted'), t('text'), t('summary')],
        s.drafts.map((d) => [
          String(d.version),
          d.title,
          el('code', {}, d.sha256.slice(0, 16) + '…'),
          when(d.submittedAt),
          content(d.text),
          content(d.summary),
        ]),
      ),
      el('h2', {}, t('Resolutions')),
      table(
        [t('party'), t('subject'), t('outcome'), t('number'), t('adopted on'), t('reason')],
        s.resolutions.map((r) => [
          r.partyId,
          r.draftVersion ? `${r.subject} of v${r.draftVersion}` : r.subject,
          r.outcome,
          r.resolutionNumber,
          r.adoptedOn,
          content(r.reason),
        ]),
      ),
      el('h2', {}, t('Signatures')),
      table(
        [t('party'), t('signatory'), t('signed on'), t('version')],
        s.signatures.map((g) => [g.partyId, `${g.signatoryName}, ${g.signatoryTitle}`, g.signedOn, `v${g.draftVersion}`]),
      ),
      el('h2', {}, t('Feedback')),
      table(
        [t('version'), t('from'), t('author'), t('comments')],
        s.feedback.map((f) => [`v${f.draftVersion}`, f.partyId || f.community, f.author, content(f.comments)]),
      ),
      el('h2', {}, t('Reviews')),
      table(
        [t('held on'), t('findings')],
        s.reviews.map((r) => [r.heldOn, content(r.findings)]),
      ),
    ),
    el(
      'section',
      {},
      el('h2', {}, t('Timeline')),
      table(
        [t('when'), t('event'), t('party'), t('detail')],
        s.timeline.map((entry) => [when(entry.at), entry.event, entry.partyId, entry.detail]),
      ),
    ),
    me.role === 'coordinator' ? accessKeyForm(id, s) : null,
  );
}

/**
 * A text a person wrote at length (the claim check): the state carries its excerpt and the url of
 * the whole, which the page fetches with the key and opens in a new tab.
 */
function content(c) {
  if (!c) return '';
  if (typeof c === 'string') return c;
  return el(
    'span',
    {},
    c.excerpt,
    ' ',
    el(
      'a',
      {
        href: '#',
        title: t('{size} bytes', { size: c.size }),
        onclick: (e) => (e.preventDefault(), openText(c.url)),
      },
      `[${t('full text')}]`,
    ),
  );
}

/** An authenticated text in a new tab, as a blob the browser shows as plain text. */
async function openText(path) {
  const tab = window.open('', '_blank');
  const res = await api('GET', path, undefined, 'text/plain');
  if (res.status !== 200) {
    if (tab) tab.close();
    alert(problemText(res.body));
    return;
  }
  const url = URL.createObjectURL(new Blob([res.body], { type: 'text/plain;charset=utf-8' }));
  if (tab) tab.location = url;
  else location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
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
  return forms.length ? forms : el('p', { class: 'muted' }, t('This key sends no commands.'));
}

function commandForm(s, path, op, schema, currentDraft) {
  const out = el('p');
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties).filter(([name]) => name !== 'requestId');
  // Kept until the command is applied: sending the same form twice (a double click, a retry after
  // a lost answer) carries the same requestId, which the workflow applies once.
  let pending = requestId();
  const form = el(
    'form',
    {
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
          out.replaceChildren(el('span', { class: 'ok' }, t('Applied.')));
          setTimeout(route, 600);
        } else {
          out.replaceChildren(el('span', { class: 'error' }, `${res.status}: ${problemText(res.body)}`));
        }
      },
    },
    fields.map(([name, prop]) => el('label', {}, el('span', {}, required.has(name) ? `${name} *` : name), input(name, prop, s, currentDraft))),
    el('button', {}, t('Send')),
    out,
  );
  const title = (op['x-entente-title'] || {})[lang()] || op.summary;
  return el('details', {}, el('summary', {}, title, ' ', el('code', { class: 'muted' }, op.operationId)), form);
}

function input(name, prop, s, currentDraft) {
  const defaults = {
    partyId: me.partyId,
    draftVersion: currentDraft && currentDraft.version,
    draftHash: currentDraft && currentDraft.sha256,
    version: (currentDraft ? currentDraft.version : 0) + 1,
  };
  const value = defaults[name];
  if (name === 'partyId') {
    return el(
      'select',
      { name },
      el('option', { value: '' }, '—'),
      s.parties.map((p) => el('option', { value: p.id, selected: p.id === value }, `${p.legalName} (${p.id})`)),
    );
  }
  if (prop.enum)
    return el(
      'select',
      { name },
      el('option', { value: '' }, '—'),
      prop.enum.map((v) => el('option', { value: v }, v)),
    );
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
    list.replaceChildren(
      table(
        [t('issued'), t('role'), t('party'), t('label'), t('status'), ''],
        res.body.keys.map((k) => [
          when(k.createdAt),
          k.role,
          k.partyId,
          k.label,
          k.revokedAt ? t('revoked {when}', { when: when(k.revokedAt) }) : t('active'),
          k.revokedAt
            ? ''
            : el(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    const revoked = await api('POST', `/partnerships/${id}/access-keys/${k.id}/revoke`);
                    if (revoked.status !== 200) alert(problemText(revoked.body));
                    showKeys();
                  },
                },
                t('Revoke'),
              ),
        ]),
      ),
    );
  };
  showKeys();
  return el(
    'section',
    {},
    el('h2', {}, t('Keys of party contacts')),
    list,
    el(
      'details',
      {},
      el('summary', {}, t('Issue a key to a party contact')),
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            const f = e.target;
            const res = await api('POST', `/partnerships/${id}/access-keys`, {
              role: f.role.value,
              partyId: f.partyId.value,
              ...(f.label.value ? { label: f.label.value } : {}),
            });
            out.replaceChildren(
              res.status === 201
                ? el('span', { class: 'ok' }, t('Key (shown once; give it to that person only): '), el('code', {}, res.body.key))
                : el('span', { class: 'error' }, problemText(res.body)),
            );
            if (res.status === 201) showKeys();
          },
        },
        el(
          'label',
          {},
          el('span', {}, t('role')),
          el(
            'select',
            { name: 'role' },
            ['clerk', 'signatory', 'champion'].map((r) => el('option', { value: r }, t(r))),
          ),
        ),
        el(
          'label',
          {},
          el('span', {}, t('party')),
          el(
            'select',
            { name: 'partyId' },
            s.parties.map((p) => el('option', { value: p.id }, p.legalName)),
          ),
        ),
        el('label', {}, el('span', {}, t('label')), el('input', { name: 'label', placeholder: t('e.g. the clerk of Riverside') })),
        el('button', {}, t('Issue')),
        out,
      ),
    ),
  );
}

async function decisions(id) {
  const res = await api('GET', `/partnerships/${encodeURIComponent(id)}/decisions`);
  if (res.status !== 200) {
    main.replaceChildren(el('section', {}, el('p', { class: 'error' }, problemText(res.body))));
    return;
  }
  const { chain, decisions: rows } = res.body;
  main.replaceChildren(
    el(
      'section',
      {},
      el('h1', {}, t('Decision register: {id}', { id })),
      el('p', {}, el('a', { href: `#/p/${id}` }, t('← back'))),
      chain.ok
        ? el('p', { class: 'ok' }, t('Hash chain intact over {rows} rows.', { rows: chain.rows }))
        : el(
            'p',
            { class: 'error' },
            t('Hash chain broken at row {seq} ({key}): {reason}.', {
              seq: chain.firstBroken.seq,
              key: chain.firstBroken.key,
              reason: chain.firstBroken.reason,
            }),
          ),
      table(
        [t('#'), t('occurred'), t('kind'), t('actor'), t('party'), t('details')],
        rows.map((r) => [String(r.seq), when(r.occurredAt), r.kind, r.actor, r.partyId, JSON.stringify(r.payload)]),
      ),
    ),
  );
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
  who.textContent =
    me.role === 'coordinator'
      ? t('coordinator')
      : t('{role} of {party} in {partnership}', { role: t(me.role), party: me.partyId, partnership: me.partnershipId });
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
    {
      id: 'riverside',
      legalName: 'Town of Riverside',
      kind: 'municipality',
      governingBody: 'Municipal council',
      language: 'en',
      contacts: { champion: { name: '', email: '' }, clerk: { name: '', email: '' }, signatory: { name: '', title: 'Mayor', email: '' } },
    },
    {
      id: 'maple',
      legalName: 'Maple First Nation',
      kind: 'first-nation',
      governingBody: 'Band council',
      language: 'fr',
      contacts: { champion: { name: '', email: '' }, clerk: { name: '', email: '' }, signatory: { name: '', title: 'Chef', email: '' } },
    },
  ],
  durations: { term: '24 months', noticePeriod: '60 days' },
};

function showLanguageToggle() {
  const toggle = document.getElementById('language');
  toggle.textContent = lang() === 'fr' ? 'English' : 'Français';
  document.documentElement.lang = lang();
  document.getElementById('sign-out').textContent = t('Forget this key');
}

document.getElementById('language').addEventListener('click', () => {
  localStorage.setItem(LANG_KEY, lang() === 'fr' ? 'en' : 'fr');
  showLanguageToggle();
  route();
});
showLanguageToggle();

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);
route();
