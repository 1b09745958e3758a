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
      {},
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
          r.actor ? L.role(r.actor) : '',
          meansOf(L, r.means),
          r.partyId,
          el('code', { class: 'payload' }, JSON.stringify(r.payload)),
        ]),
        L.t('ui.none'),
      ),
    ),
  );
}

/** How a command reached Entente (an action link, a key, the coordinator's key), when the row says. */
function meansOf(L, means) {
  if (!means) return '';
  if (typeof means === 'string') return L.value('means', means);
  return L.value('means', means.kind ?? means.via ?? means.type ?? JSON.stringify(means));
}
