/**
 * People and parties change over years (elections, staff turnover): the coordinator or the
 * party's champion replaces a contact, the coordinator sets a party's role in a shared-services
 * agreement. Pure domain: the schemas, the rules and the effects.
 *
 * | case                                              | asserts                                                              |
 * |---------------------------------------------------|----------------------------------------------------------------------|
 * | a clerk replaced                                  | the state names the new clerk; the new clerk and the coordinator are told; the timeline says so |
 * | a signatory without a title                       | refused by the schema, naming contact.title                          |
 * | a champion replacing another party's contact      | refused: a champion acts for their own party                         |
 * | a contact of a withdrawn party                    | refused                                                              |
 * | setPartyRole                                      | the party's role; the same role again refused; refused once ended    |
 * | the agreement of a shared-services partnership    | renders once a party is the provider                                  |
 */
import { COMMANDS, StartPartnership, commandRefusal, type PartnershipState } from '../../domain';
import { renderAgreement } from '../../activities/documents/render-agreement';
import { agreementInputOf } from '../../domain/agreement/from-state';
import { commandEffects } from '../../domain/lifecycle';
import { enterStage, initialState } from '../../domain/state';
import { startRequest } from '../helpers/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const coordinator = { role: 'coordinator' as const };
const championOf = (partyId: string) => ({ role: 'champion' as const, partyId });

const fresh = (): PartnershipState => {
  const state = initialState('water', startRequest(), NOW);
  enterStage(state, 'commitment', NOW);
  return state;
};

test('a clerk replaced: the state names the new clerk, who is told with the coordinator', () => {
  const state = fresh();
  const body = COMMANDS.replaceContact.schema.parse({
    requestId: 'contact-0001',
    partyId: 'riverside',
    role: 'clerk',
    contact: { name: 'Nora Clerk', email: 'nora@riverside.example', language: 'fr' },
  });
  expect(commandRefusal(state, 'replaceContact', body, championOf('riverside'), NOW)).toBeUndefined();
  const effects = commandEffects(state, 'replaceContact', body, championOf('riverside'), NOW);
  const riverside = state.parties.find((p) => p.id === 'riverside')!;
  expect(riverside.contacts.clerk).toEqual({ name: 'Nora Clerk', email: 'nora@riverside.example', language: 'fr' });
  expect(riverside.contacts.champion.email).not.toBe('nora@riverside.example');
  expect(state.timeline.at(-1)).toMatchObject({ event: 'contact-replaced', partyId: 'riverside', detail: 'clerk' });
  expect(effects.records[0]).toMatchObject({ kind: 'replaceContact', actor: 'champion:riverside', partyId: 'riverside' });
  expect(effects.emails).toHaveLength(1);
  expect(effects.emails[0]!.event).toBe('contact-assigned');
  expect(effects.emails[0]!.recipients.map((r) => [r.role, r.email, r.language])).toEqual([
    ['clerk', 'nora@riverside.example', 'fr'],
    ['coordinator', state.coordinator.email, state.coordinator.language],
  ]);
});

test('a signatory signs with a title: without one the schema refuses, naming the field', () => {
  const parsed = COMMANDS.replaceContact.schema.safeParse({
    requestId: 'contact-0002',
    partyId: 'maple',
    role: 'signatory',
    contact: { name: 'Chief Two', email: 'chief@maple.example' },
  });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['contact.title', 'a signatory signs with a title']]);
});

test('a champion replaces only their own party’s contacts; a withdrawn party’s are not replaced', () => {
  const state = fresh();
  const body = { requestId: 'contact-0003', partyId: 'maple', role: 'clerk' as const, contact: { name: 'X', email: 'x@maple.example' } };
  expect(commandRefusal(state, 'replaceContact', body, championOf('riverside'), NOW)?.code).toBe('forbidden');
  state.parties.find((p) => p.id === 'maple')!.status = 'withdrawn';
  expect(commandRefusal(state, 'replaceContact', body, coordinator, NOW)).toEqual({ code: 'conflict', message: 'party "maple" has withdrawn' });
});

test('setPartyRole: the role is set, the same role again is refused, nothing once the partnership ended', () => {
  const state = fresh();
  const body = { requestId: 'role-00001', partyId: 'riverside', role: 'provider' as const };
  expect(commandRefusal(state, 'setPartyRole', body, coordinator, NOW)).toBeUndefined();
  commandEffects(state, 'setPartyRole', body, coordinator, NOW);
  expect(state.parties.find((p) => p.id === 'riverside')!.role).toBe('provider');
  expect(commandRefusal(state, 'setPartyRole', { ...body, requestId: 'role-00002' }, coordinator, NOW)?.message).toBe('party "riverside" is already provider');
  expect(commandRefusal(state, 'setPartyRole', body, championOf('riverside'), NOW)?.code).toBe('forbidden');
  enterStage(state, 'abandoned', NOW);
  expect(commandRefusal(state, 'setPartyRole', { ...body, role: 'served', requestId: 'role-00003' }, coordinator, NOW)?.code).toBe('stage');
});

test('the roles reach the agreement: a provider and the served parties', () => {
  const state = fresh();
  commandEffects(state, 'setPartyRole', { requestId: 'role-00004', partyId: 'riverside', role: 'provider' }, coordinator, NOW);
  commandEffects(state, 'setPartyRole', { requestId: 'role-00005', partyId: 'maple', role: 'served' }, coordinator, NOW);
  const parties = agreementInputOf(state, 'en').parties as Array<{ id?: string; role?: string }>;
  expect(parties.map((p) => p.role)).toEqual(['provider', 'served']);
});

test('the README’s example partnership can render its shared-services agreement from the start', () => {
  const request = StartPartnership.parse(require('../../examples/start-partnership.json'));
  expect(request.parties.map((p) => p.role)).toEqual(['provider', 'served']);
  const state = initialState('riverside-maple-water', request, NOW);
  const { markdown } = renderAgreement(agreementInputOf(state, 'en'));
  expect(markdown).toContain('Town of Riverside');
});
