// One partnership: what it is, what the reader can do now (only the actions the API offers for
// this stage and this person), who owes what, and its record.

import { el, section, table } from '../dom.js';
import { download, problemText } from '../api.js';
import { commandForm } from '../forms.js';
import { content, failure, fragmentQuery, partyName, whyText } from './shared.js';
import { accessSection } from './access.js';

export async function partnershipView(ctx, id) {
  const res = await ctx.call('GET', `/partnerships/${encodeURIComponent(id)}`);
  if (res.status !== 200) return failure(ctx, res);
  const view = res.body;
  const { labels: L, formats: f } = ctx;
  const when = (value) => f.when(value);
  const none = L.t('ui.none');
  const selected = fragmentQuery().get('action');
  const announced = ctx.announced();
  document.title = `${view.title} · Entente`;

  ctx.main.replaceChildren(
    el(
      'section',
      { class: 'summary' },
      el('h1', {}, view.title),
      announced ? el('p', { class: 'ok announcement', role: 'status' }, announced) : null,
      el(
        'p',
        {},
        el('span', { class: 'stage', 'data-stage': view.stage }, L.stage(view.stage)),
        ' ',
        L.t('ui.sinceWhen', { when: when(view.stageSince) }),
        ' · ',
        L.value('template', view.template),
      ),
      el('p', {}, view.purpose),
      view.intake?.notes ? el('p', { class: 'notes' }, L.pair(L.t('ui.intakeNotes'), ''), content(ctx, view.intake.notes)) : null,
      view.closedReason ? el('p', { class: 'muted' }, view.closedReason) : null,
      view.term ? el('p', {}, L.t('ui.inForce', { since: f.when(view.term.effectiveOn), number: view.term.number, ends: f.when(view.term.endsOn) })) : null,
      view.notice
        ? el(
            'p',
            { class: 'error' },
            L.t('ui.noticeGiven', { party: partyName(view, view.notice.partyId), days: view.notice.noticeDays, ends: f.when(view.notice.endsOn) }),
            // A notice period is counted in calendar days: it ends on a holiday if its last day is one.
            view.notice.endsOnHoliday
              ? ` ${L.pair(L.field('endsOnHoliday'), view.notice.endsOnHoliday.name[L.language] || view.notice.endsOnHoliday.name.en)}`
              : '',
          )
        : null,
      documentLinks(ctx, view),
    ),
    actionsSection(ctx, view, selected),
    section(
      L.t('ui.pendingActions'),
      table(
        [
          L.field('who'),
          L.field('what'),
          L.field('partyId'),
          L.field('since'),
          L.field('dueAt'),
          L.field('nextReminderAt'),
          L.field('because'),
          L.field('remindersSent'),
        ],
        view.pendingActions.map((a) => [
          a.who ? L.role(a.who) : '',
          obligationText(ctx, a),
          partyName(view, a.partyId),
          when(a.since),
          when(a.dueAt),
          when(a.nextReminderAt),
          whyText(ctx, a.because),
          a.remindersSent ? [String(a.remindersSent), a.escalated ? el('strong', { class: 'escalated' }, ` · ${L.t('ui.escalated')}`) : ''] : '',
        ]),
        none,
      ),
    ),
    section(
      L.t('ui.partiesAndOwes'),
      table(
        [L.field('legalName'), L.field('kind'), L.field('governingBody'), L.field('role'), L.field('status'), L.t('ui.people'), L.field('owes')],
        view.parties.map((p) => [
          p.legalName,
          L.value('kind', p.kind),
          p.governingBody,
          p.role ? L.value('role', p.role) : '',
          p.withdrawsAt ? L.pair(L.value('status', p.status), f.when(p.withdrawsAt)) : L.value('status', p.status),
          peopleOf(ctx, p),
          p.owes.map((kind) => L.obligation(kind)).join(', '),
        ]),
        none,
      ),
    ),
    section(
      L.t('ui.nextTimers'),
      table(
        [L.field('kind'), L.field('partyId'), L.field('at'), L.field('because')],
        view.nextTimers.map((timer) => [L.timer(timer.kind), partyName(view, timer.partyId), when(timer.at), whyText(ctx, timer.because)]),
        none,
      ),
    ),
    recordSection(ctx, view),
    section(
      L.t('ui.timeline'),
      table(
        [L.field('at'), L.field('event'), L.field('partyId'), L.field('detail')],
        view.timeline.map((entry) => [when(entry.at), L.event(entry.event), partyName(view, entry.partyId), entry.detail]),
        none,
      ),
    ),
    ctx.me.role === 'coordinator' ? accessSection(ctx, view) : null,
  );
  // The action an email's link named: open (above), and in view once the page is shown.
  if (selected) setTimeout(() => document.querySelector(`details.action[data-command="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'start' }), 0);
}

function documentLinks(ctx, view) {
  const { labels: L } = ctx;
  const id = view.id;
  const save = (path, accept, filename) => (e) => {
    e.preventDefault();
    download(ctx.call, path, accept, filename).then((res) => res.status === 200 || alert(problemText(res.body)));
  };
  return el(
    'p',
    { class: 'documents' },
    el('a', { href: '#', onclick: (e) => (e.preventDefault(), ctx.openAgreement(id)) }, L.t('ui.agreementHtml')),
    ' · ',
    el('a', { href: '#', onclick: save(`/partnerships/${id}/agreement`, 'text/markdown', `${id}-agreement.md`) }, L.t('ui.agreementMarkdown')),
    ' · ',
    el('a', { href: '#', onclick: save(`/partnerships/${id}/calendar.ics`, 'text/calendar', `${id}.ics`) }, L.t('ui.calendar')),
    ' · ',
    el('a', { href: `#/p/${encodeURIComponent(id)}/decisions` }, L.t('ui.decisionRegister')),
  );
}

/** What this reader can do now: the API's offered actions, each a form, the selected one open. */
function actionsSection(ctx, view, selected) {
  const { labels: L } = ctx;
  const actions = Array.isArray(view.actions) ? view.actions : [];
  const only = actions.length === 1;
  return el(
    'section',
    { class: 'actions' },
    el('h2', {}, L.t('ui.yourActions')),
    actions.length === 0
      ? el('p', { class: 'muted' }, L.t('ui.noActions'))
      : actions.map((action) =>
          commandForm(ctx, view, action, {
            open: only || action.command === selected,
            nameParty: actions.filter((a) => a.command === action.command).length > 1,
            onApplied: () => {
              // The state again, saying what was recorded; the form the link opened is done with.
              ctx.announce(L.pair(L.t('ui.applied'), L.command(action.command)));
              history.replaceState(null, '', location.hash.split('?')[0]);
              return ctx.render();
            },
          }),
        ),
  );
}

function obligationText(ctx, pending) {
  const { labels: L } = ctx;
  const what = L.obligation(pending.what);
  if (!pending.detail) return what;
  const version = /^version (\d+)$/.exec(pending.detail);
  const detail = version
    ? L.t('ui.versionNumber', { version: version[1] }, pending.detail)
    : pending.what === 'milestone'
      ? L.value('milestone', pending.detail)
      : pending.detail;
  return L.pair(what, detail);
}

function peopleOf(ctx, party) {
  const { labels: L } = ctx;
  return ['clerk', 'signatory', 'champion']
    .map((role) => party.contacts?.[role])
    .map((c, i) => (c?.name ? L.pair(L.role(['clerk', 'signatory', 'champion'][i]), `${c.name}${c.title ? `, ${c.title}` : ''}`) : ''))
    .filter(Boolean)
    .join(' · ');
}

function recordSection(ctx, view) {
  const { labels: L, formats: f } = ctx;
  const none = L.t('ui.none');
  const version = (v) => (v ? L.t('ui.versionNumber', { version: v }, `v${v}`) : '');
  return el(
    'section',
    { class: 'record' },
    el('h2', {}, L.t('ui.milestones')),
    table(
      [L.field('milestone'), L.field('completedOn'), L.field('reason'), L.field('notes')],
      view.milestones.map((m) => [L.value('milestone', m.milestone), m.skipped ? L.t('ui.skipped') : f.when(m.completedOn), m.reason, content(ctx, m.notes)]),
      none,
    ),
    el('h2', {}, L.t('ui.drafts')),
    table(
      [L.field('version'), L.field('title'), 'SHA-256', L.field('submittedAt'), L.field('text'), L.field('summary')],
      view.drafts.map((d) => [
        String(d.version),
        d.title,
        el('code', { title: d.sha256 }, `${d.sha256.slice(0, 16)}…`),
        f.when(d.submittedAt),
        content(ctx, d.text),
        content(ctx, d.summary),
      ]),
      none,
    ),
    el('h2', {}, L.t('ui.resolutions')),
    table(
      [
        L.field('partyId'),
        L.field('subject'),
        L.field('draftVersion'),
        L.field('outcome'),
        L.field('resolutionNumber'),
        L.field('adoptedOn'),
        L.field('reason'),
      ],
      view.resolutions.map((r) => [
        partyName(view, r.partyId),
        L.value('subject', r.subject),
        version(r.draftVersion),
        L.value('outcome', r.outcome),
        r.resolutionNumber,
        f.when(r.adoptedOn),
        content(ctx, r.reason),
      ]),
      none,
    ),
    el('h2', {}, L.t('ui.signatures')),
    table(
      [L.field('partyId'), L.field('signatoryName'), L.field('signatoryTitle'), L.field('signedOn'), L.field('draftVersion')],
      view.signatures.map((g) => [partyName(view, g.partyId), g.signatoryName, g.signatoryTitle, f.when(g.signedOn), version(g.draftVersion)]),
      none,
    ),
    el('h2', {}, L.t('ui.feedback')),
    table(
      [L.field('draftVersion'), L.field('partyId'), L.field('author'), L.field('comments')],
      view.feedback.map((fb) => [version(fb.draftVersion), fb.partyId ? partyName(view, fb.partyId) : fb.community, fb.author, content(ctx, fb.comments)]),
      none,
    ),
    el('h2', {}, L.t('ui.reviews')),
    table(
      [L.field('heldOn'), L.field('findings')],
      view.reviews.map((r) => [f.when(r.heldOn), content(ctx, r.findings)]),
      none,
    ),
  );
}
