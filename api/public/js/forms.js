// Forms for commands, built from the command's JSON Schema in /openapi.json (which derives from
// the zod schemas the API and the workflow validate with), so the page carries no second copy of
// a command's shape. Labels are `field.*`; enum options are `value.<field>.*`.

import { el } from './dom.js';
import { newRequestId, problemText } from './api.js';

const DRAFT = 'entente-draft:';

/**
 * A form's draft, `{ values, requestId? }`, kept in this tab (sessionStorage, as the credential) until its command is
 * applied: a reload, a lost connection or a page left and come back to keeps what was typed, and
 * the form's requestId with it, so that sending it again after an answer that never came is still
 * one command. Keyed by who is signed in, the partnership, the command, its party and what it is about.
 */
export function draftStore(key, storage = sessionStorage) {
  return {
    read() {
      try {
        const draft = JSON.parse(storage.getItem(DRAFT + key) || 'null');
        return draft && draft.values && typeof draft.values === 'object' ? draft : undefined;
      } catch {
        return undefined;
      }
    },
    write(draft) {
      try {
        storage.setItem(DRAFT + key, JSON.stringify(draft));
      } catch {
        // Storage full or refused: the form works as before, without a draft.
      }
    },
    clear() {
      storage.removeItem(DRAFT + key);
    },
  };
}

/** Every draft of this tab, forgotten when the person signs out: what they typed is theirs. */
export function forgetDrafts(storage = sessionStorage) {
  for (const key of Object.keys(storage)) if (key.startsWith(DRAFT)) storage.removeItem(key);
}

/** What an offered action is about, known before the person types anything: shown, not editable. */
const CONTEXT_FIELDS = new Set(['partyId', 'subject', 'draftVersion', 'draftHash']);

/** The operation of a command in the OpenAPI document: its path template and its body's schema. */
export function operationOf(openapi, command) {
  for (const [path, item] of Object.entries(openapi?.paths || {})) {
    const op = item.post;
    if (!op || op.operationId !== command) continue;
    const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
    const schema = ref ? openapi.components.schemas[ref.split('/').pop()] : op.requestBody?.content?.['application/json']?.schema;
    return { path, op, schema };
  }
  return undefined;
}

/** The leaves of a body schema, one level of nested objects flattened as `outer.inner`. */
function fieldsOf(schema) {
  const required = new Set(schema.required || []);
  const fields = [];
  for (const [name, prop] of Object.entries(schema.properties || {})) {
    if (name === 'requestId') continue;
    if (prop.type === 'object' && prop.properties) {
      const inner = new Set(prop.required || []);
      for (const [key, innerProp] of Object.entries(prop.properties)) {
        fields.push({ name: `${name}.${key}`, path: [name, key], key, prop: innerProp, required: required.has(name) && inner.has(key), group: name });
      }
    } else {
      fields.push({ name, path: [name], key: name, prop, required: required.has(name) });
    }
  }
  return fields;
}

const isFlag = (prop) => prop.type === 'boolean' || prop.const === true;
const isNumber = (prop) => prop.type === 'integer' || prop.type === 'number';
/** A list of plain values (dates, numbers, words): typed one per line. */
const isList = (prop) => prop.type === 'array' && ['string', 'integer', 'number'].includes(prop.items?.type);
/** Anything deeper than the form shows field by field: typed as JSON. */
const isJson = (prop) => (prop.type === 'array' && !isList(prop)) || prop.type === 'object';

/**
 * One offered action as a form: `action` is `{ command, route, partyId?, prefill }` from the
 * partnership's view. `onApplied` runs after the API answers 200.
 */
export function commandForm(ctx, view, action, { onApplied, open = false, nameParty = false } = {}) {
  const { labels: L } = ctx;
  const operation = operationOf(ctx.openapi, action.command);
  // The same command offered for several parties (to the coordinator) names the party in each.
  const party = nameParty && action.partyId ? view.parties.find((p) => p.id === action.partyId)?.legalName || action.partyId : undefined;
  const summary = el('summary', {}, party ? L.pair(L.command(action.command), party) : L.command(action.command));
  if (!operation || !operation.schema) {
    return el(
      'details',
      { class: 'action', 'data-command': action.command, 'data-party': action.partyId, open },
      summary,
      el('p', { class: 'error' }, L.t('ui.formUnavailable')),
    );
  }
  const prefill = { ...defaultsFromView(view, action), ...(action.prefill || {}) };
  // A party contact is not asked for context the API did not fill in (a participation resolution
  // names no draft); the coordinator, who records for anyone, sees every field.
  const asked = (field) => ctx.me?.role === 'coordinator' || field.required || !CONTEXT_FIELDS.has(field.name) || prefill[field.name] !== undefined;
  const fields = fieldsOf(operation.schema).filter(asked);
  const out = el('p', { class: 'outcome', role: 'status' });
  // Kept until the command is applied: sending the same form twice (a double click, a retry after
  // a lost answer, after a reload too) carries the same requestId, which the workflow applies once.
  // The same command offered again about something else (the approval resolution after the
  // participation one) is another form, with a draft of its own.
  const about = [...CONTEXT_FIELDS].map((name) => prefill[name]);
  const draft = draftStore([ctx.me?.role, ctx.me?.partyId, view.id, action.command, action.partyId, ...about].map((part) => part ?? '').join(':'));
  const saved = draft.read();
  let pending = typeof saved?.requestId === 'string' ? saved.requestId : newRequestId();
  const path = action.route?.startsWith('/') ? action.route : operation.path.replace('{id}', encodeURIComponent(view.id));
  const byGroup = new Map();
  const rows = [];
  for (const field of fields) {
    const row = fieldRow(ctx, view, field, prefill);
    if (!field.group) {
      rows.push(row);
      continue;
    }
    if (!byGroup.has(field.group)) {
      const set = el('fieldset', {}, el('legend', {}, L.field(field.group)));
      byGroup.set(field.group, set);
      rows.push(set);
    }
    byGroup.get(field.group).append(row);
  }
  const form = el(
    'form',
    {
      class: 'command',
      onsubmit: async (e) => {
        e.preventDefault();
        const button = form.querySelector('button[type=submit]');
        button.disabled = true;
        out.replaceChildren(el('span', { class: 'muted' }, L.t('ui.sending')));
        const res = await ctx.call('POST', path, { body: { requestId: pending, ...bodyOf(form, fields) } });
        button.disabled = false;
        if (res.status === 200) {
          pending = newRequestId();
          draft.clear();
          out.replaceChildren(el('span', { class: 'ok' }, L.t('ui.applied')));
          if (onApplied) setTimeout(onApplied, 600);
        } else {
          out.replaceChildren(el('span', { class: 'error' }, `${res.status}: ${problemText(res.body)}`));
        }
      },
    },
    rows,
    el('p', { class: 'muted' }, L.t('ui.requiredFields')),
    el('button', { type: 'submit' }, L.t('ui.send')),
    out,
  );
  if (saved) restoreDraft(form, saved.values);
  const keep = () => draft.write({ requestId: pending, values: typedValues(form) });
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);
  const documentPane = documentFor(ctx, view, action, prefill);
  return el(
    'details',
    { class: 'action', 'data-command': action.command, 'data-party': action.partyId, open },
    summary,
    el('div', { class: documentPane ? 'action-body with-document' : 'action-body' }, form, documentPane),
  );
}

/** What the person typed or chose: the shown fields only (the hidden ones come from the view). */
function typedValues(form) {
  const values = {};
  for (const control of form.elements) {
    if (!control.name || control.type === 'hidden' || control.type === 'submit') continue;
    values[control.name] = control.type === 'checkbox' ? control.checked : control.value;
  }
  return values;
}

function restoreDraft(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const control = form.elements[name];
    if (!control || control.type === 'hidden' || !('value' in control)) continue;
    if (control.type === 'checkbox') control.checked = value === true;
    else if (typeof value === 'string') control.value = value;
  }
}

/** What the page knows for a person who will sign: their own name and title as the start request gave them. */
function defaultsFromView(view, action) {
  if (action.command !== 'sign' || !action.partyId) return {};
  const signatory = view.parties.find((p) => p.id === action.partyId)?.contacts?.signatory;
  return signatory ? { signatoryName: signatory.name, ...(signatory.title ? { signatoryTitle: signatory.title } : {}) } : {};
}

function fieldRow(ctx, view, field, prefill) {
  const { labels: L } = ctx;
  const known = field.group ? prefill[field.group]?.[field.key] : prefill[field.name];
  const caption = el('span', { class: 'caption' }, L.field(field.key), field.required ? el('abbr', { title: L.t('ui.required') }, ' *') : '');
  if (!field.group && CONTEXT_FIELDS.has(field.name) && known !== undefined && known !== '') {
    return el(
      'div',
      { class: 'field readonly', 'data-field': field.name },
      caption,
      el('output', { name: `${field.name}-shown` }, shownValue(ctx, view, field.name, known)),
      el('input', { type: 'hidden', name: field.name, value: String(known) }),
    );
  }
  return el('label', { class: 'field', 'data-field': field.name }, caption, input(ctx, view, field, known));
}

function shownValue(ctx, view, name, value) {
  const { labels: L } = ctx;
  if (name === 'partyId') return view.parties.find((p) => p.id === value)?.legalName || String(value);
  if (name === 'draftHash') return el('code', { title: String(value) }, `${String(value).slice(0, 16)}…`);
  if (name === 'draftVersion') return L.t('ui.versionNumber', { version: value }, String(value));
  return L.value(name, value);
}

function input(ctx, view, field, value) {
  const { labels: L } = ctx;
  const { name, prop, required } = field;
  const common = { name, required: required && !isFlag(prop) };
  if (name === 'partyId') {
    return el(
      'select',
      common,
      el('option', { value: '' }, '—'),
      view.parties.map((p) => el('option', { value: p.id, selected: p.id === value }, p.legalName)),
    );
  }
  if (prop.enum) {
    return el(
      'select',
      common,
      el('option', { value: '' }, '—'),
      prop.enum.map((v) => el('option', { value: v, selected: v === value }, L.value(field.key, v))),
    );
  }
  if (isFlag(prop)) return el('input', { name, type: 'checkbox', checked: value === true });
  if (isList(prop) || isJson(prop)) {
    const area = el('textarea', { ...common, rows: 4, spellcheck: 'false', 'data-shape': isList(prop) ? 'list' : 'json' });
    if (value !== undefined) area.value = isList(prop) && Array.isArray(value) ? value.join('\n') : JSON.stringify(value, null, 2);
    return el('span', { class: 'shaped' }, area, el('small', { class: 'muted' }, L.t(isList(prop) ? 'ui.onePerLine' : 'ui.asJson', {}, '')));
  }
  if (isNumber(prop)) return el('input', { ...common, type: 'number', min: prop.minimum, max: prop.maximum, value });
  // The date of something already done (the schema's x-entente-past): the picker offers no later day.
  if (prop.format === 'date') return el('input', { ...common, type: 'date', value, max: prop['x-entente-past'] ? localToday() : undefined });
  if (prop.format === 'uri') return el('input', { ...common, type: 'url', size: 50, value });
  if (prop.format === 'email') return el('input', { ...common, type: 'email', size: 40, value });
  if ((prop.maxLength || 0) > 300) {
    const area = el('textarea', { ...common, maxlength: prop.maxLength, rows: prop.maxLength > 10_000 ? 10 : 4 });
    if (value !== undefined) area.value = String(value);
    return area;
  }
  return el('input', { ...common, type: 'text', size: 40, maxlength: prop.maxLength, value });
}

/** The body from the form's fields: empty optional fields left out, numbers as numbers, flags as booleans. */
function bodyOf(form, fields) {
  const body = {};
  for (const { name, path, prop } of fields) {
    const control = form.elements[name];
    if (!control) continue;
    let value;
    if (isFlag(prop) && control.type === 'checkbox') {
      if (control.checked) value = true;
      else if (prop.type === 'boolean') value = false;
    } else if (String(control.value).trim() !== '') {
      if (isList(prop)) {
        value = control.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((item) => (isNumber(prop.items) ? Number(item) : item));
      } else if (isJson(prop)) {
        // Sent as typed when it is not JSON: the API's answer names the field that failed.
        try {
          value = JSON.parse(control.value);
        } catch {
          value = control.value;
        }
      } else {
        value = isNumber(prop) ? Number(control.value) : control.value;
      }
    }
    if (value === undefined) continue;
    if (path.length === 1) body[path[0]] = value;
    else (body[path[0]] ??= {})[path[1]] = value;
  }
  return body;
}

/**
 * The document to decide on, beside the form: for an approval resolution or a signature, the
 * draft under decision (its text fetched with this tab's credential) and the agreement; for
 * feedback, the draft under consultation.
 */
function documentFor(ctx, view, action, prefill) {
  const { labels: L } = ctx;
  const aboutDraft =
    action.command === 'sign' || action.command === 'submitFeedback' || (action.command === 'recordResolution' && prefill.subject === 'approval');
  if (!aboutDraft || view.drafts.length === 0) return undefined;
  const draft = view.drafts.find((d) => d.version === Number(prefill.draftVersion)) || view.drafts.at(-1);
  const text = el('pre', { class: 'document-text' }, draft.text ? draft.text.excerpt : '');
  if (draft.text?.url) {
    text.textContent = L.t('ui.loading');
    ctx.call('GET', draft.text.url, { accept: 'text/plain' }).then((res) => {
      text.textContent = res.status === 200 ? String(res.body) : draft.text.excerpt;
    });
  }
  return el(
    'aside',
    { class: 'document' },
    el('h3', {}, L.t('ui.documentToDecide', { version: draft.version, title: draft.title }, `${draft.title} (v${draft.version})`)),
    el(
      'p',
      { class: 'muted' },
      L.t('ui.submittedOn', { when: ctx.formats.when(draft.submittedAt) }, ctx.formats.when(draft.submittedAt)),
      ' · SHA-256 ',
      el('code', { title: draft.sha256 }, `${draft.sha256.slice(0, 16)}…`),
    ),
    draft.summary ? el('p', { class: 'summary' }, draft.summary.excerpt) : null,
    text,
    el(
      'p',
      {},
      draft.documentUrl ? el('a', { href: draft.documentUrl, rel: 'noreferrer noopener', target: '_blank' }, L.t('ui.draftDocument')) : null,
      draft.documentUrl ? ' · ' : null,
      el('a', { href: '#', class: 'agreement-link', onclick: (e) => (e.preventDefault(), ctx.openAgreement(view.id)) }, L.t('ui.agreementHtml')),
    ),
  );
}

/** Today's date where the browser is, as YYYY-MM-DD. */
function localToday() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
