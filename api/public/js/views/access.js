// The coordinator's view of who can act on a partnership: the keys issued to party contacts and
// the action links sent in emails, each revocable.

import { el, table } from '../dom.js';
import { newRequestId, problemText } from '../api.js';
import { partyName } from './shared.js';

export function accessSection(ctx, view) {
  const { labels: L } = ctx;
  const id = encodeURIComponent(view.id);
  const keys = el('div', { class: 'access-keys' });
  const links = el('div');
  const out = el('p');
  // Kept until a key is issued: a retry after a lost answer sends the same Idempotency-Key, so one
  // live key results either way.
  let issuing = newRequestId();
  const revokeButton = (path, refresh) =>
    el(
      'button',
      {
        type: 'button',
        onclick: async () => {
          const revoked = await ctx.call('POST', path);
          if (revoked.status !== 200) alert(problemText(revoked.body));
          await refresh();
        },
      },
      L.t('ui.revoke'),
    );
  const status = (item) => (item.revokedAt ? L.t('ui.revokedOn', { when: ctx.formats.when(item.revokedAt) }) : L.t('ui.active'));

  const showKeys = async () => {
    const res = await ctx.call('GET', `/partnerships/${id}/access-keys`);
    if (res.status !== 200) return keys.replaceChildren(el('p', { class: 'error' }, problemText(res.body)));
    keys.replaceChildren(
      table(
        [L.field('createdAt'), L.field('role'), L.field('partyId'), L.field('label'), L.field('status'), ''],
        res.body.keys.map((k) => [
          ctx.formats.when(k.createdAt),
          el('span', { 'data-role': k.role }, L.role(k.role)),
          partyName(view, k.partyId),
          k.label,
          status(k),
          k.revokedAt ? '' : revokeButton(`/partnerships/${id}/access-keys/${encodeURIComponent(k.id)}/revoke`, showKeys),
        ]),
        L.t('ui.none'),
      ),
    );
  };
  // The links sent in emails; a server without them (404) shows nothing.
  const showLinks = async () => {
    const res = await ctx.call('GET', `/partnerships/${id}/action-links`);
    if (res.status === 404) return links.replaceChildren();
    if (res.status !== 200) return links.replaceChildren(el('p', { class: 'error' }, problemText(res.body)));
    const items = Array.isArray(res.body) ? res.body : res.body.links || res.body.items || [];
    links.replaceChildren(
      el('h3', {}, L.t('ui.actionLinks')),
      el(
        'div',
        { class: 'action-links' },
        table(
          [L.field('createdAt'), L.field('role'), L.field('partyId'), L.field('event'), L.field('expiresAt'), L.field('usedAt'), L.field('status'), ''],
          items.map((link) => [
            ctx.formats.when(link.createdAt),
            el('span', { 'data-role': link.role }, L.role(link.role)),
            el('span', { 'data-party': link.partyId }, partyName(view, link.partyId)),
            link.event ? L.t(`notification.${link.event}`, {}, link.event) : '',
            ctx.formats.when(link.expiresAt),
            ctx.formats.when(link.usedAt),
            link.revokedAt ? [status(link), link.revokedReason ? ` (${link.revokedReason})` : ''].join('') : status(link),
            link.revokedAt ? '' : revokeButton(`/partnerships/${id}/action-links/${encodeURIComponent(link.id)}/revoke`, showLinks),
          ]),
          L.t('ui.none'),
        ),
      ),
    );
  };
  void showKeys();
  void showLinks();

  return el(
    'section',
    { class: 'access' },
    el('h2', {}, L.t('ui.accessKeys')),
    keys,
    el(
      'details',
      { class: 'issue-key' },
      el('summary', {}, L.t('ui.issueKey')),
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            const form = e.target;
            const res = await ctx.call('POST', `/partnerships/${id}/access-keys`, {
              body: { role: form.role.value, partyId: form.partyId.value, ...(form.label.value ? { label: form.label.value } : {}) },
              headers: { 'idempotency-key': issuing },
            });
            if (res.status === 201) issuing = newRequestId();
            out.replaceChildren(
              res.status === 201
                ? el('span', { class: 'ok' }, L.t('ui.keyShownOnce'), ' ', el('code', {}, res.body.key))
                : el('span', { class: 'error' }, problemText(res.body)),
            );
            if (res.status === 201) await showKeys();
          },
        },
        el(
          'label',
          {},
          el('span', { class: 'caption' }, L.field('role')),
          el(
            'select',
            { name: 'role' },
            ['clerk', 'signatory', 'champion'].map((r) => el('option', { value: r }, L.role(r))),
          ),
        ),
        el(
          'label',
          {},
          el('span', { class: 'caption' }, L.field('partyId')),
          el(
            'select',
            { name: 'partyId' },
            view.parties.map((p) => el('option', { value: p.id }, p.legalName)),
          ),
        ),
        el('label', {}, el('span', { class: 'caption' }, L.field('label')), el('input', { name: 'label', placeholder: L.t('ui.keyLabelExample', {}, '') })),
        el('button', { type: 'submit' }, L.t('ui.issue')),
        out,
      ),
    ),
    links,
  );
}
