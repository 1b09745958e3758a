// The coordinator's list of partnerships (from Temporal's visibility store), and a new one.

import { el, table } from '../dom.js';
import { problemText } from '../api.js';
import { draftStore } from '../forms.js';
import { fragmentQuery } from './shared.js';

export async function partnershipsView(ctx) {
  const { labels: L, formats: f } = ctx;
  const stage = fragmentQuery().get('stage') || '';
  const list = await ctx.call('GET', `/partnerships?pageSize=100${stage ? `&stage=${encodeURIComponent(stage)}` : ''}`);
  const stages = ctx.openapi?.paths?.['/partnerships']?.get?.parameters?.find((p) => p.name === 'stage')?.schema?.enum || [];
  document.title = `${L.t('ui.partnerships')} · Entente`;
  ctx.main.replaceChildren(
    el(
      'section',
      {},
      el('h1', {}, L.t('ui.partnerships')),
      el('p', {}, el('a', { href: '#/' }, L.t('ui.backToDesk'))),
      el(
        'label',
        {},
        el('span', { class: 'caption' }, L.field('stage')),
        el(
          'select',
          { name: 'stage', onchange: (e) => (location.hash = e.target.value ? `#/partnerships?stage=${e.target.value}` : '#/partnerships') },
          el('option', { value: '' }, L.t('ui.all')),
          stages.map((s) => el('option', { value: s, selected: s === stage }, L.stage(s))),
        ),
      ),
      list.status === 200
        ? table(
            [L.t('ui.partnership'), L.field('stage'), L.field('template'), L.t('ui.parties'), L.field('nextDeadline')],
            list.body.items.map((p) => [
              el('a', { href: `#/p/${encodeURIComponent(p.id)}` }, p.title || p.id),
              el('span', { class: 'stage', 'data-stage': p.stage }, L.stage(p.stage)),
              L.value('template', p.template),
              (p.parties || []).join(', '),
              f.when(p.nextDeadline),
            ]),
            L.t('ui.none'),
          )
        : el('p', { class: 'error' }, problemText(list.body)),
      el('p', { class: 'muted' }, L.t('ui.listLag')),
    ),
    startForm(ctx),
  );
}

function startForm(ctx) {
  const { labels: L } = ctx;
  const out = el('p');
  const body = el('textarea', { name: 'body', rows: 16, spellcheck: 'false' });
  // What the coordinator has typed so far stays through a reload, until the partnership starts.
  const draft = draftStore(`${ctx.me?.role ?? ''}:start`);
  body.value = draft.read()?.values.body ?? JSON.stringify(START_EXAMPLE, null, 2);
  body.addEventListener('input', () => draft.write({ values: { body: body.value } }));
  return el(
    'section',
    {},
    el(
      'details',
      { class: 'start' },
      el('summary', {}, L.t('ui.startPartnership')),
      el('p', { class: 'muted' }, L.t('ui.startHelp')),
      el(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            let parsed;
            try {
              parsed = JSON.parse(body.value);
            } catch (err) {
              out.replaceChildren(el('span', { class: 'error' }, L.t('ui.notJson', { error: err.message })));
              return;
            }
            const res = await ctx.call('POST', '/partnerships', { body: parsed });
            if (res.status === 201) {
              draft.clear();
              location.hash = `#/p/${encodeURIComponent(res.body.id)}`;
            } else out.replaceChildren(el('span', { class: 'error' }, problemText(res.body)));
          },
        },
        body,
        el('button', { type: 'submit' }, L.t('ui.start')),
        out,
      ),
    ),
  );
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
