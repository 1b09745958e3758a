/**
 * domain/labels.ts: one source of words in French and English. What must have a label is derived
 * from the domain itself, never listed here: the properties and enumerated values of every
 * command's body and of the start request (their JSON Schemas, as OpenAPI and the page see them),
 * the view the page shows (taken from partnerships driven through the lifecycle), every timeline
 * event those partnerships recorded, and the domain's lists of stages, commands, roles, obligation
 * kinds, timer kinds and email events.
 */
import { z } from 'zod';
import { COMMAND_INFO, COMMAND_NAMES } from '../../domain/command-catalogue';
import { COMMANDS } from '../../domain/commands';
import { DEADLINE_KINDS } from '../../domain/deadlines';
import { DESK_STATUSES } from '../../domain/desk';
import { LABELS, label } from '../../domain/labels';
import { NOTIFICATION_EVENTS } from '../../domain/notifications';
import { OBLIGATION_KINDS } from '../../domain/obligations';
import { IssueAccessKey } from '../../domain/schemas/access';
import { Actor } from '../../domain/schemas/commands';
import { StartPartnership } from '../../domain/schemas/partnership';
import { STAGES } from '../../domain/stages';
import { TEMPLATES, TEMPLATE_IDS } from '../../domain/templates';
import { partnershipView, type PartnershipView } from '../../domain/view';
import { mapleMonthly, scheduleOf, SECOND_TUESDAY } from '../helpers/calendars';
import { championOf, DomainDriver, T0 } from '../helpers/domain-driver';
import { startRequest, withOak } from '../helpers/fixtures';

const missing = (keys: Iterable<string>) => [...new Set(keys)].filter((key) => LABELS.en[key] === undefined || LABELS.fr[key] === undefined).sort();

/** Property names and, per property, its enumerated values, through a JSON Schema. */
function walkSchema(schema: unknown, fields: Set<string>, values: Map<string, Set<string>>, field?: string): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (field !== undefined && Array.isArray(node.enum)) {
    for (const value of node.enum) if (typeof value === 'string') (values.get(field) ?? values.set(field, new Set()).get(field)!).add(value);
  }
  for (const [name, child] of Object.entries((node.properties as Record<string, unknown>) ?? {})) {
    fields.add(name);
    walkSchema(child, fields, values, name);
  }
  for (const key of ['items', 'additionalProperties']) walkSchema(node[key], fields, values, field);
  for (const key of ['anyOf', 'oneOf', 'allOf']) for (const child of (node[key] as unknown[]) ?? []) walkSchema(child, fields, values, field);
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

/** Partnerships driven so that every kind of timeline entry is written at least once. */
function drivenPartnerships(): DomainDriver[] {
  const full = new DomainDriver(withOak()).toCommitment();
  full.fire(full.deadline('resolution-reminder', 'maple'));
  full.participation('maple', 'rejected');
  full.send('withdrawParty', { partyId: 'maple', reason: 'Its council said no' });
  for (const partyId of ['riverside', 'oak']) full.participation(partyId, 'adopted');
  full.send('recordMilestone', { milestone: 'funding-proposal', skipped: true, reason: 'No funding needed' });
  full.completeGroundwork();
  full.submitDraft(1);
  for (const partyId of full.partyIds) full.feedback(partyId);
  full.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' });
  full.submitDraft(2);
  full.approval('riverside', 'rejected', 'The cost sharing is unclear');
  full.submitDraft(3);
  for (const partyId of full.partyIds) full.approval(partyId);
  full.fire(full.deadline('signature-reminder', 'oak'));
  for (const partyId of full.partyIds) full.sign(partyId);
  full.send('replaceContact', { partyId: 'oak', role: 'clerk', contact: { name: 'Nora New', email: 'nora@oak.example' } });
  full.send('setPartyRole', { partyId: 'oak', role: 'provider' });
  full.fire(full.deadline('review-due'));
  full.send('recordReview', { heldOn: '2026-01-15', findings: 'On track.' });
  full.send('amendTerm', { newEndsOn: '2028-12-31', reason: 'Aligned on the fiscal year' });
  full.send('renew', { termMonths: 12, decidedOn: '2026-02-01' });
  full.fire(full.deadline('renewal-meeting'));
  full.send('giveNotice', { partyId: 'riverside', reason: 'Budget cuts' }, championOf('riverside'));
  full.send('withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));

  const withdrawing = new DomainDriver(withOak()).toInForce();
  withdrawing.send('withdrawParty', { partyId: 'oak', reason: 'Leaving the region' });
  const snapshot = new DomainDriver(withOak()).toInForce();
  snapshot.send('withdrawParty', { partyId: 'oak', reason: 'Leaving the region' });
  withdrawing.fire(withdrawing.deadline('party-withdrawal'));

  const declined = new DomainDriver();
  declined.send('recordIntakeDecision', { accepted: false, interviewedOn: '2025-01-07' });
  // A band council with a calendar: its request, a reminder before the agenda closes, the question after a meeting.
  const council = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toCommitment();
  for (const kind of ['resolution-request', 'resolution-reminder', 'meeting-follow-up'] as const) council.fire(council.deadline(kind, 'maple'));
  council.send('setMeetingCalendar', { partyId: 'riverside', schedule: scheduleOf(SECOND_TUESDAY, council.now) } as never);

  return [full, withdrawing, snapshot, declined, council];
}

const driven = drivenPartnerships();
const views: PartnershipView[] = driven.map((d) => partnershipView(d.state));

describe('both languages', () => {
  test('have the same keys, and no label is empty', () => {
    expect(Object.keys(LABELS.fr).sort()).toEqual(Object.keys(LABELS.en).sort());
    const empty = (['en', 'fr'] as const).flatMap((language) =>
      Object.entries(LABELS[language])
        .filter(([, text]) => text.trim() === '')
        .map(([key]) => `${language}:${key}`),
    );
    expect(empty).toEqual([]);
  });

  test('name the same placeholders in each label', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differ = Object.keys(LABELS.en).filter((key) => JSON.stringify(placeholders(LABELS.en[key]!)) !== JSON.stringify(placeholders(LABELS.fr[key]!)));
    expect(differ).toEqual([]);
  });

  test('the French differs from the English where a word differs (no label left untranslated by copy)', () => {
    // Same in both by nature: words the two languages share (consultation, version, signature, SHA-256...).
    const same = Object.keys(LABELS.en).filter((key) => LABELS.en[key] === LABELS.fr[key]);
    expect(same.length).toBeLessThan(Object.keys(LABELS.en).length / 10);
  });
});

describe('every name the domain uses has a label', () => {
  test('stages, commands (their catalogue titles), roles, obligation kinds, timer kinds, email events, templates, desk statuses', () => {
    expect(missing(STAGES.map((s) => `stage.${s}`))).toEqual([]);
    expect(missing(COMMAND_NAMES.map((n) => `command.${n}`))).toEqual([]);
    for (const name of COMMAND_NAMES) {
      expect(LABELS.en[`command.${name}`]).toBe(COMMAND_INFO[name].title.en);
      expect(LABELS.fr[`command.${name}`]).toBe(COMMAND_INFO[name].title.fr);
    }
    expect(missing(Actor.shape.role.options.map((r) => `role.${r}`))).toEqual([]);
    expect(missing(OBLIGATION_KINDS.map((k) => `obligation.${k}`))).toEqual([]);
    expect(missing(DEADLINE_KINDS.map((k) => `timer.${k}`))).toEqual([]);
    expect(missing(NOTIFICATION_EVENTS.map((e) => `notification.${e}`))).toEqual([]);
    expect(missing(DESK_STATUSES.map((s) => `value.status.${s}`))).toEqual([]);
    for (const id of TEMPLATE_IDS) {
      expect(label(`value.template.${id}`, 'fr')).toBe(TEMPLATES[id].label.fr);
      expect(label(`value.template.${id}`, 'en')).toBe(TEMPLATES[id].label.en);
    }
  });

  test('every property and enumerated value of every command body, the start request and an access key', () => {
    const fields = new Set<string>();
    const values = new Map<string, Set<string>>();
    for (const name of COMMAND_NAMES) walkSchema(jsonSchema(COMMANDS[name].schema), fields, values);
    walkSchema(jsonSchema(StartPartnership), fields, values);
    walkSchema(jsonSchema(IssueAccessKey), fields, values);
    expect(fields.size).toBeGreaterThan(40);
    expect(missing([...fields].map((f) => `field.${f}`))).toEqual([]);
    const enumerated = [...values].flatMap(([field, set]) => [...set].map((v) => `value.${field}.${v}`));
    expect(enumerated).toEqual(
      expect.arrayContaining(['value.subject.approval', 'value.milestone.review-workshop', 'value.role.provider', 'value.kind.first-nation']),
    );
    expect(missing(enumerated)).toEqual([]);
  });

  test('every property of the view the page shows, and its enumerated values', () => {
    // A text written at length is shown by its excerpt and a link, never as fields.
    const CONTENT_VIEW = new Set(['sha256', 'size', 'excerpt', 'url']);
    const fields = new Set<string>();
    const values: string[] = [];
    const walk = (value: unknown, field?: string) => {
      if (Array.isArray(value)) return value.forEach((item) => walk(item, field));
      if (!value || typeof value !== 'object') return;
      const entries = Object.entries(value as Record<string, unknown>);
      if (field !== undefined && entries.length > 0 && entries.every(([k]) => CONTENT_VIEW.has(k))) return;
      for (const [key, child] of entries) {
        // The contacts are listed by role: their names are role labels.
        if (field !== 'contacts') fields.add(key);
        walk(child, key);
      }
    };
    for (const view of views) {
      walk(view);
      for (const p of view.parties)
        values.push(`value.status.${p.status}`, `value.kind.${p.kind}`, `value.language.${p.language}`, ...(p.role ? [`value.role.${p.role}`] : []));
      for (const a of view.pendingActions) values.push(`obligation.${a.what}`, `role.${a.who}`);
      for (const t of view.nextTimers) values.push(`timer.${t.kind}`, ...(t.because ? [`value.why.${t.because.reason}`] : []));
      for (const p of view.parties)
        if (p.meetingCalendar) values.push(`value.province.${p.meetingCalendar.province}`, `value.kindOfSource.${p.meetingCalendar.source.kind}`);
      for (const r of view.resolutions) values.push(`value.subject.${r.subject}`, `value.outcome.${r.outcome}`);
      for (const m of view.milestones) values.push(`value.milestone.${m.milestone}`);
      values.push(`stage.${view.stage}`, `value.template.${view.template}`);
    }
    expect(missing([...fields].filter((f) => !CONTENT_VIEW.has(f)).map((f) => `field.${f}`))).toEqual([]);
    expect(values).toEqual(expect.arrayContaining(['value.status.withdrawing', 'value.status.withdrawn', 'value.role.provider']));
    expect(missing(values)).toEqual([]);
  });

  test('every timeline event the lifecycle writes, and entering each stage', () => {
    const events = new Set(driven.flatMap((d) => d.state.timeline.map((t) => t.event)));
    // Written by the workflow itself when an email cannot be handed over.
    events.add('notification-failed');
    expect(events.size).toBeGreaterThan(25);
    expect(missing([...events].map((e) => `event.${e}`))).toEqual([]);
    expect(missing(STAGES.map((s) => `event.stage:${s}`))).toEqual([]);
    expect(label('event.stage:commitment', 'fr')).toBe('Passage à l’étape : Engagement');
  });
});

describe('label()', () => {
  test('fills placeholders; English when a language lacks a key; the key itself when none has it', () => {
    expect(label('ui.sinceWhen', 'fr', { when: '3 mars 2025' })).toBe('depuis le 3 mars 2025');
    expect(label('ui.pair', 'en', { label: 'Stage', value: 'Approval' })).toBe('Stage: Approval');
    expect(label('role.clerk', 'fr')).toBe('greffier ou greffière');
    expect(label('no.such.key', 'fr')).toBe('no.such.key');
  });
});
