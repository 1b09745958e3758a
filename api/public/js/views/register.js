// The decision register of one partnership, with its hash chain checked by the API.

import { el, table } from '../dom.js';
import { failure } from './shared.js';

export async function registerView(ctx, id) {
  const res = await ctx.call('GET', `/partnerships/${encodeURIComponent(id)}/decisions`);
  if (res.status !== 200) return failure(ctx, res);
  const { labels: L, formats: f } = ctx;
  const { chain, decisions: rows } = res.body;
  document.title = `${L.t('ui.decisionRegister')} · Entente`;
  const kind = (k) => (L.has(`command.${k}`) ? L.command(k) : L.event(k));
  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'register' },
      el('h1', {}, L.t('ui.decisionRegisterOf', { id }, `${L.t('ui.decisionRegister')}: ${id}`)),
      el('p', {}, el('a', { href: `#/p/${encodeURIComponent(id)}` }, L.t('ui.back'))),
      chain.ok
        ? el('p', { class: 'ok' }, L.t('ui.chainIntact', { rows: chain.rows }))
        : el('p', { class: 'error' }, L.t('ui.chainBroken', { seq: chain.firstBroken.seq, key: chain.firstBroken.key, reason: chain.firstBroken.reason })),
      table(
        ['#', L.field('occurredAt'), L.field('kind'), L.field('actor'), L.field('means'), L.field('partyId'), L.field('details')],
        rows.map((r) => [
          String(r.seq),
          f.when(r.occurredAt),
          kind(r.kind),
          actorOf(L, r.actor),
          meansOf(L, r.means),
          r.partyId,
          el('code', { class: 'payload' }, JSON.stringify(r.payload)),
        ]),
        L.t('ui.none'),
      ),
    ),
  );
}

/** Who acted: `coordinator`, `system`, or `<role>:<party>` (the clerk of riverside). */
function actorOf(L, actor) {
  if (!actor) return '';
  const [role, party] = String(actor).split(':');
  return party ? L.pair(L.role(role), party) : L.role(role);
}

/** How a command reached Entente: `action-link:<id>`, `access-key:<id>` or `coordinator-key`; the id stays in the title. */
function meansOf(L, means) {
  if (!means) return '';
  const [via] = String(means).split(':');
  return el('span', { title: String(means) }, L.value('means', via));
}
