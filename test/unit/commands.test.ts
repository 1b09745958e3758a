/**
 * domain/commands.ts: commandRefusal and authorisationRefusal.
 *
 * | case                                                   | code           |
 * |--------------------------------------------------------|----------------|
 * | coordinator records the intake decision in intake      | (accepted)     |
 * | intake decision again in commitment                    | stage (names commitment) |
 * | clerk / signatory / champion send the intake decision  | forbidden      |
 * | participation resolution in intake                     | stage (names intake) |
 * | participation resolution in groundwork                 | stage (names groundwork) |
 * | clerk of riverside for riverside, in commitment        | (accepted)     |
 * | coordinator for any party, in commitment               | (accepted)     |
 * | clerk of riverside for maple                           | forbidden      |
 * | clerk without a party                                  | forbidden      |
 * | signatory / champion of the party records a resolution | forbidden      |
 * | unknown party (coordinator)                            | unknown-party  |
 * | withdrawn party                                        | conflict       |
 * | second participation resolution of a party             | conflict (names the first) |
 * | approval resolution during commitment                  | stage          |
 * | any command in a final stage                           | stage          |
 * | forbidden is checked before the stage                  | forbidden      |
 */
import { authorisationRefusal, COMMAND_NAMES, commandRefusal, COMMANDS, type CommandBody } from '../../domain/commands';
import type { Actor } from '../../domain/schemas/commands';
import { enterStage, initialState, type PartnershipState } from '../../domain/state';
import { FINAL_STAGES, type Stage } from '../../domain/stages';
import { startRequest } from '../helpers/fixtures';

const T0 = Date.parse('2025-02-03T10:00:00Z');
const NOW = T0 + 1000;
const coordinator: Actor = { role: 'coordinator' };
const clerkOf = (partyId: string): Actor => ({ role: 'clerk', partyId });

function stateIn(stage: Stage): PartnershipState {
  const state = initialState('water', startRequest(), T0);
  if (stage !== 'intake') enterStage(state, stage, T0 + 1000);
  return state;
}

const intakeDecision = (): CommandBody<'recordIntakeDecision'> => ({
  requestId: 'intake-0001',
  accepted: true,
  interviewedOn: '2025-02-01',
});

const participation = (partyId: string, overrides: Partial<CommandBody<'recordResolution'>> = {}): CommandBody<'recordResolution'> => ({
  requestId: `res-${partyId}-0001`,
  partyId,
  subject: 'participation',
  outcome: 'adopted',
  resolutionNumber: '2025-042',
  adoptedOn: '2025-02-10',
  ...overrides,
});

describe('the command catalogue', () => {
  test('lists every command of DESIGN.md with who may send it', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(
      [
        'abandon',
        'amendTerm',
        'giveNotice',
        'recordIntakeDecision',
        'recordMilestone',
        'recordResolution',
        'recordReview',
        'renew',
        'replaceContact',
        'setMeetingCalendar',
        'setPartyRole',
        'sign',
        'submitDraft',
        'submitFeedback',
        'withdrawNotice',
        'withdrawParty',
      ].sort(),
    );
    expect(COMMANDS.recordIntakeDecision.roles).toEqual(['coordinator']);
    expect([...COMMANDS.recordResolution.roles].sort()).toEqual(['clerk', 'coordinator']);
    expect(COMMANDS.sign.roles).toEqual(['signatory']);
    expect([...COMMANDS.giveNotice.roles].sort()).toEqual(['champion', 'coordinator']);
    expect([...COMMANDS.replaceContact.roles].sort()).toEqual(['champion', 'coordinator']);
    expect(COMMANDS.setPartyRole.roles).toEqual(['coordinator']);
    expect([...COMMANDS.setMeetingCalendar.roles].sort()).toEqual(['clerk', 'coordinator']);
  });
});

describe('recordIntakeDecision', () => {
  test('the coordinator may record it during intake', () => {
    expect(commandRefusal(stateIn('intake'), 'recordIntakeDecision', intakeDecision(), coordinator, NOW)).toBeUndefined();
  });

  test('refused with code stage once the process is in commitment, naming the stage', () => {
    const refusal = commandRefusal(stateIn('commitment'), 'recordIntakeDecision', intakeDecision(), coordinator, NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain('commitment');
  });

  test.each<Actor>([
    { role: 'clerk', partyId: 'riverside' },
    { role: 'signatory', partyId: 'riverside' },
    { role: 'champion', partyId: 'maple' },
  ])('a $role may not send it', (actor) => {
    const refusal = commandRefusal(stateIn('intake'), 'recordIntakeDecision', intakeDecision(), actor, NOW);
    expect(refusal?.code).toBe('forbidden');
    expect(refusal?.message).toContain(actor.role);
    expect(refusal?.message).toContain('recordIntakeDecision');
  });
});

describe('recordResolution (participation)', () => {
  test.each<[Stage]>([['intake'], ['groundwork'], ['drafting'], ['signing'], ['in-force']])('refused with code stage in %s, naming the stage', (stage) => {
    const refusal = commandRefusal(stateIn(stage), 'recordResolution', participation('riverside'), coordinator, NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain(stage);
  });

  test('the party clerk may record its own resolution in commitment', () => {
    expect(commandRefusal(stateIn('commitment'), 'recordResolution', participation('riverside'), clerkOf('riverside'), NOW)).toBeUndefined();
  });

  test('the coordinator may record any party resolution', () => {
    const state = stateIn('commitment');
    expect(commandRefusal(state, 'recordResolution', participation('riverside'), coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(state, 'recordResolution', participation('maple'), coordinator, NOW)).toBeUndefined();
  });

  test('a clerk of one party may not act for another', () => {
    const refusal = commandRefusal(stateIn('commitment'), 'recordResolution', participation('maple'), clerkOf('riverside'), NOW);
    expect(refusal?.code).toBe('forbidden');
    expect(refusal?.message).toContain('maple');
  });

  test('a clerk whose key names no party may not act for a party', () => {
    const refusal = commandRefusal(stateIn('commitment'), 'recordResolution', participation('maple'), { role: 'clerk' }, NOW);
    expect(refusal?.code).toBe('forbidden');
  });

  test.each<Actor['role']>(['signatory', 'champion'])('the %s of the party may not record a resolution', (role) => {
    const refusal = commandRefusal(stateIn('commitment'), 'recordResolution', participation('riverside'), { role, partyId: 'riverside' }, NOW);
    expect(refusal?.code).toBe('forbidden');
    expect(refusal?.message).toContain(role);
  });

  test('an unknown party is refused with code unknown-party', () => {
    const refusal = commandRefusal(stateIn('commitment'), 'recordResolution', participation('atlantis'), coordinator, NOW);
    expect(refusal?.code).toBe('unknown-party');
    expect(refusal?.message).toContain('atlantis');
  });

  test('a withdrawn party is refused with code conflict', () => {
    const state = stateIn('commitment');
    state.parties[1]!.status = 'withdrawn';
    const refusal = commandRefusal(state, 'recordResolution', participation('maple'), coordinator, NOW);
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.message).toContain('maple');
  });

  test('a second participation resolution of the same party is a conflict naming the first', () => {
    const state = stateIn('commitment');
    state.resolutions.push({
      partyId: 'riverside',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'R-2025-007',
      adoptedOn: '2025-02-10',
      recordedAt: T0 + 2000,
      requestId: 'res-riverside-0001',
    });
    const refusal = commandRefusal(state, 'recordResolution', participation('riverside', { requestId: 'res-riverside-0002' }), clerkOf('riverside'), NOW);
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.message).toContain('R-2025-007');
    // The other party is unaffected.
    expect(commandRefusal(state, 'recordResolution', participation('maple'), clerkOf('maple'), NOW)).toBeUndefined();
  });

  test('an approval resolution during commitment is refused with code stage', () => {
    const refusal = commandRefusal(
      stateIn('commitment'),
      'recordResolution',
      participation('riverside', { subject: 'approval', draftVersion: 1 }),
      coordinator,
      NOW,
    );
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain('commitment');
  });
});

describe('final stages', () => {
  test.each(FINAL_STAGES.map((s) => [s]))('%s takes no more commands', (stage) => {
    const state = stateIn(stage);
    const a = commandRefusal(state, 'recordIntakeDecision', intakeDecision(), coordinator, NOW);
    const b = commandRefusal(state, 'recordResolution', participation('riverside'), coordinator, NOW);
    for (const refusal of [a, b]) {
      expect(refusal?.code).toBe('stage');
      expect(refusal?.message).toContain(stage);
    }
  });

  test('authorisation is checked before the stage', () => {
    expect(commandRefusal(stateIn('abandoned'), 'recordResolution', participation('maple'), clerkOf('riverside'), NOW)?.code).toBe('forbidden');
  });
});

describe('authorisationRefusal on its own', () => {
  test('the coordinator may send everything', () => {
    expect(authorisationRefusal('recordIntakeDecision', {}, coordinator)).toBeUndefined();
    expect(authorisationRefusal('recordResolution', { partyId: 'anyone' }, coordinator)).toBeUndefined();
  });

  test('a clerk may act for its own party only', () => {
    expect(authorisationRefusal('recordResolution', { partyId: 'riverside' }, clerkOf('riverside'))).toBeUndefined();
    expect(authorisationRefusal('recordResolution', { partyId: 'maple' }, clerkOf('riverside'))?.code).toBe('forbidden');
  });

  test('a role not listed for the command is forbidden whatever the party', () => {
    expect(authorisationRefusal('recordResolution', { partyId: 'riverside' }, { role: 'signatory', partyId: 'riverside' })?.code).toBe('forbidden');
    expect(authorisationRefusal('recordIntakeDecision', {}, clerkOf('riverside'))?.code).toBe('forbidden');
  });
});
