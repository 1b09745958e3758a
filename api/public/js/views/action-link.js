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
  ctx.rememberRefusal({ status: res.status, problem: res.body && typeof res.body === 'object' ? res.body : {} });
  linkRefusedView(ctx, ctx.refusal());
}

/** Why the link opened nothing and what to do, and nothing else (shown again after a change of language). */
export function linkRefusedView(ctx, { status, problem }) {
  const { labels: L } = ctx;
  const detail = refusalWords(ctx, problem);
  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'link-refused' },
      el('h1', {}, L.t('ui.linkRefusedTitle')),
      detail ? el('p', { class: 'reason' }, detail) : null,
      el('p', {}, L.t(status === 429 ? 'ui.linkTooManyAttempts' : 'ui.linkRefusedHelp')),
    ),
  );
}

/**
 * Why the link opens nothing. The API says it in words (`detail`); where it also names the reason
 * (`reason`: expired, revoked with `revokedReason`, unknown), the page says it in the reader's
 * language when the labels have words for it, and the API's words otherwise.
 */
function refusalWords(ctx, problem) {
  const { labels: L } = ctx;
  const said = problem.detail || problem.title || '';
  const key =
    problem.reason === 'revoked' && problem.revokedReason
      ? `ui.linkRevoked.${problem.revokedReason}`
      : problem.reason
        ? `ui.link${problem.reason.charAt(0).toUpperCase()}${problem.reason.slice(1)}`
        : undefined;
  if (!key || !L.has(key)) return said;
  return L.t(key, { when: ctx.formats.when(problem.expiredAt ? String(problem.expiredAt).slice(0, 10) : '') });
}
