// The landing of an action link from an email (#/act/<token>): the token is exchanged for a
// session at once, and leaves the address bar whatever the answer.

import { el } from '../dom.js';

export async function actionLinkView(ctx, token) {
  const { labels: L } = ctx;
  // Out of the address bar (and so out of the history and of any bookmark) before anything else.
  history.replaceState(null, '', `${location.pathname}#/act`);
  ctx.main.replaceChildren(el('section', {}, el('p', { class: 'muted' }, L.t('ui.openingLink'))));
  const res = await ctx.call('POST', '/sessions', { body: { token }, anonymous: true });
  if (res.status === 201 && res.body && typeof res.body.session === 'string') {
    ctx.credentials.set(res.body.session, 'link');
    const action = res.body.action?.command;
    history.replaceState(
      null,
      '',
      `${location.pathname}#/p/${encodeURIComponent(res.body.partnershipId)}${action ? `?action=${encodeURIComponent(action)}` : ''}`,
    );
    await ctx.render();
    return;
  }
  const problem = res.body && typeof res.body === 'object' ? res.body : {};
  // The API's words say why; a reason code, when the API gives one, reads in the page's language.
  const said = problem.detail || problem.title || '';
  const detail = problem.reason ? L.t(`ui.linkRefused.${problem.reason}`, {}, said) : said;
  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'link-refused' },
      el('h1', {}, L.t('ui.linkRefusedTitle')),
      detail ? el('p', { class: 'reason' }, detail) : null,
      el('p', {}, L.t(res.status === 429 ? 'ui.linkTooManyAttempts' : 'ui.linkRefusedHelp')),
    ),
  );
}
