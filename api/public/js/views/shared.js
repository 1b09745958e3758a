// Pieces several views use.

import { el } from '../dom.js';
import { problemText } from '../api.js';

/**
 * A text a person wrote at length (the claim check): the view carries its excerpt and the url of
 * the whole, which the page fetches with this tab's credential and opens in a new tab.
 */
export function content(ctx, text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return el(
    'span',
    { class: 'content' },
    text.excerpt,
    ' ',
    el(
      'a',
      {
        href: '#',
        title: ctx.labels.t('ui.bytes', { size: ctx.formats.number(text.size) }, `${text.size}`),
        onclick: (e) => (e.preventDefault(), ctx.openText(text.url)),
      },
      `[${ctx.labels.t('ui.fullText')}]`,
    ),
  );
}

/** A party's name as people know it, from the partnership's view; the id when the party is not in it. */
export const partyName = (view, partyId) => (partyId ? view?.parties?.find((p) => p.id === partyId)?.legalName || partyId : '');

/** A refusal or failure from the API, on its own. */
export function failure(ctx, res) {
  ctx.main.replaceChildren(el('section', {}, el('p', { class: 'error' }, problemText(res.body))));
}

/** The query of the address after `?` in the fragment (`#/p/x?action=sign`). */
export const fragmentQuery = () => new URLSearchParams(location.hash.split('?')[1] || '');

/** Why a deadline falls on its date (a council's meeting and agenda, a working morning), in the reader's words. */
export function whyText(ctx, because) {
  if (!because) return '';
  const { labels: L, formats: f } = ctx;
  return L.t(`value.why.${because.reason}`, {
    meetingOn: because.meetingOn ? f.when(because.meetingOn) : '',
    agendaClosesOn: because.agendaClosesOn ? f.when(because.agendaClosesOn) : '',
    timeZone: because.timeZone ?? '',
  });
}
