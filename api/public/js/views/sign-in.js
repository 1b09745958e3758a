// Signing in with an API key: the coordinator's, or one the coordinator issued to a party contact.

import { el } from '../dom.js';

export function signInView(ctx, message) {
  const { labels: L } = ctx;
  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'sign-in' },
      el('h1', {}, L.t('ui.signInTitle')),
      el('p', { class: 'muted' }, L.t('ui.signInHelp')),
      message ? el('p', { class: 'error' }, message) : null,
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            ctx.credentials.set(e.target.key.value.trim(), 'key');
            await ctx.render();
          },
        },
        el(
          'label',
          {},
          el('span', { class: 'caption' }, L.t('ui.apiKey')),
          el('input', { name: 'key', type: 'password', size: 48, autocomplete: 'off', required: true }),
        ),
        ' ',
        el('button', { type: 'submit' }, L.t('ui.signIn')),
      ),
    ),
  );
}

/** A session from an action link that ended: what to do is to open the latest email's link again. */
export function sessionEndedView(ctx, message) {
  const { labels: L } = ctx;
  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'link-refused' },
      el('h1', {}, L.t('ui.sessionEndedTitle')),
      message ? el('p', {}, message) : null,
      el('p', {}, L.t('ui.sessionEndedHelp')),
    ),
  );
}
