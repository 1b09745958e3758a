// The coordinator's desk: across all partnerships, what is overdue, due this week or later, what
// was escalated, and the next deadlines; filtered by stage, party and template.

import { el, section, table } from '../dom.js';
import { problemText } from '../api.js';
import { fragmentQuery, whyText } from './shared.js';

const FILTERS = ['stage', 'party', 'template'];
const STATUSES = [
  ['overdue', 'ui.overdue'],
  ['due-this-week', 'ui.dueThisWeek'],
  ['later', 'ui.later'],
];

export async function deskView(ctx) {
  const { labels: L, formats: f } = ctx;
  const query = fragmentQuery();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) || '']));
  const search = filterParams(filters);
  // Across thousands of partnerships the desk comes a page at a time, the most pressing first.
  const offset = Number(query.get('offset')) || 0;
  if (offset > 0) search.set('offset', String(offset));
  // The list names every partnership's parties: the party filter offers them all, not only those on the desk now.
  const [res, list] = await Promise.all([ctx.call('GET', `/desk${search.size ? `?${search}` : ''}`), ctx.call('GET', '/partnerships?pageSize=100')]);
  const knownParties = list.status === 200 ? list.body.items.flatMap((p) => p.parties || []) : [];
  document.title = `${L.t('ui.desk')} · Entente`;
  const none = L.t('ui.none');
  const link = (entry) => el('a', { href: `#/p/${encodeURIComponent(entry.partnershipId)}` }, entry.title || entry.partnershipId);
  const what = (entry) => {
    const kind = L.obligation(entry.what);
    return entry.detail ? L.pair(kind, entry.what === 'milestone' ? L.value('milestone', entry.detail) : entry.detail) : kind;
  };
  const rows = (entries) =>
    entries.map((entry) => [
      link(entry),
      el('span', { class: 'stage', 'data-stage': entry.stage }, L.stage(entry.stage)),
      entry.partyId || '',
      L.role(entry.who),
      what(entry),
      f.when(entry.since),
      f.when(entry.dueAt),
      f.when(entry.nextReminderAt),
      whyText(ctx, entry.because),
      entry.remindersSent ? String(entry.remindersSent) : '',
      entry.escalated ? el('strong', { class: 'escalated' }, L.t('ui.escalated')) : '',
    ]);
  const headers = [
    L.t('ui.partnership'),
    L.field('stage'),
    L.field('partyId'),
    L.field('who'),
    L.field('what'),
    L.field('since'),
    L.field('dueAt'),
    L.field('nextReminderAt'),
    L.field('because'),
    L.field('remindersSent'),
    '',
  ];

  const body =
    res.status !== 200
      ? [el('section', {}, el('p', { class: 'error' }, problemText(res.body)))]
      : [
          pager(ctx, filters, offset, res.body),
          ...STATUSES.map(([status, title]) => {
            const entries = res.body.entries.filter((e) => e.status === status);
            return el(
              'section',
              { class: `desk-status ${status}`, 'data-status': status },
              el('h2', {}, L.t(title), ' ', count(L, entries.length, res.body.counts?.[status])),
              table(headers, rows(entries), none),
            );
          }),
          el(
            'section',
            { class: 'desk-escalations', 'data-status': 'escalated' },
            el('h2', {}, L.t('ui.escalations'), ' ', count(L, res.body.entries.filter((e) => e.escalated).length, res.body.counts?.escalated)),
            table(headers, rows(res.body.entries.filter((e) => e.escalated)), none),
          ),
          section(
            L.t('ui.nextDeadlines'),
            table(
              [L.t('ui.partnership'), L.field('kind'), L.field('partyId'), L.field('at')],
              (res.body.nextDeadlines || []).map((d) => [link(d), L.timer(d.kind), d.partyId || '', f.when(d.at)]),
              none,
            ),
          ),
          el(
            'p',
            { class: 'muted' },
            L.t('ui.generatedAt', { when: f.when(res.body.generatedAt) }),
            res.body.unreadable ? el('span', { class: 'error' }, ' ', L.t('ui.unreadable', { count: res.body.unreadable })) : null,
            res.body.omitted
              ? el('span', { class: 'error' }, ' ', L.t('ui.omitted', { count: res.body.omitted, limit: res.body.partnerships + res.body.unreadable }))
              : null,
          ),
        ];

  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'desk' },
      el('h1', {}, L.t('ui.desk')),
      el('p', {}, el('a', { href: '#/partnerships' }, L.t('ui.allPartnerships'))),
      filterForm(ctx, filters, [...knownParties, ...(res.status === 200 ? res.body.entries.map((e) => e.partyId) : [])]),
    ),
    ...body.filter(Boolean),
  );
}

/** The filters that are set, as a query string's parameters. */
const filterParams = (filters) => new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));

/** A section's count: of all the desk holds, and how many of them this page shows when not all. */
function count(L, shown, all = shown) {
  return el('span', { class: 'count' }, `(${shown === all ? all : L.t('ui.shownOf', { shown, count: all })})`);
}

/** Which of the things owed this page shows, and links to the next page and back to the first. */
function pager(ctx, filters, offset, body) {
  const { labels: L } = ctx;
  const total = body.entriesTotal ?? body.entries.length;
  if (offset === 0 && body.entries.length >= total) return null;
  const page = (at) => {
    const query = filterParams(filters);
    if (at > 0) query.set('offset', String(at));
    return `#/${query.size ? `?${query}` : ''}`;
  };
  const next = offset + body.entries.length;
  return el(
    'p',
    { class: 'desk-pager' },
    L.t('ui.deskShown', { from: body.entries.length > 0 ? offset + 1 : offset, to: next, total }),
    offset > 0 ? [' ', el('a', { href: page(0), 'data-page': 'first' }, L.t('ui.deskFirst'))] : null,
    next < total && body.entries.length > 0
      ? [' ', el('a', { href: page(next), 'data-page': 'next' }, L.t('ui.deskNext', { count: Math.min(body.entries.length, total - next) }))]
      : null,
  );
}

function filterForm(ctx, filters, partyIds) {
  const { labels: L } = ctx;
  const listParam = (name) => ctx.openapi?.paths?.['/partnerships']?.get?.parameters?.find((p) => p.name === name)?.schema?.enum || [];
  const stages = listParam('stage');
  const templates = listParam('template');
  const parties = [...new Set([...partyIds, filters.party].filter(Boolean))].sort();
  const select = (name, values, label) =>
    el(
      'label',
      {},
      el('span', { class: 'caption' }, label),
      el(
        'select',
        { name },
        el('option', { value: '' }, L.t('ui.all')),
        values.map((v) =>
          el('option', { value: v, selected: v === filters[name] }, name === 'stage' ? L.stage(v) : name === 'template' ? L.value('template', v) : v),
        ),
      ),
    );
  return el(
    'form',
    {
      class: 'filters',
      onchange: (e) => {
        const form = e.currentTarget;
        const query = filterParams(Object.fromEntries(FILTERS.map((name) => [name, form.elements[name].value])));
        location.hash = `#/${query.size ? `?${query}` : ''}`;
      },
      onsubmit: (e) => e.preventDefault(),
    },
    select('stage', stages, L.field('stage')),
    select('party', parties, L.field('partyId')),
    select('template', templates, L.field('template')),
  );
}
