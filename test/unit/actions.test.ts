/**
 * domain/actions.ts: the actions the page offers equal what the workflow would accept, compared
 * across the lifecycle. The partnership (three parties) is driven through every stage with the
 * pure domain driver; at each point, for the coordinator and the clerk, signatory and champion of
 * each party, the commands offered are exactly those that commandRefusal (the workflow's
 * validator) does not refuse as out of stage (`stage`) or not theirs (`forbidden`), each tried
 * with a representative valid body built from the action's prefill. Refusals for anything else
 * (a resolution already recorded, a version already signed) mean the command fits: the page
 * offers it and the answer says why it cannot be applied now.
 *
 * | point                                 | also checked                                          |
 * |---------------------------------------|-------------------------------------------------------|
 * | each stage on entry, and mid-stage    | prefill: party, subject, versions and hashes          |
 * | a party withdrawn (groundwork)        | its contacts are offered nothing; the others as above |
 * | declined, abandoned, dissolved, expired | nothing for anyone                                  |
 */
import { offeredActions, prefillOf, type OfferedAction } from '../../domain/actions';
import { COMMAND_INFO, STAGES_BY_VALUE } from '../../domain/command-catalogue';
import { COMMAND_NAMES, COMMANDS, commandRefusal, type CommandBody, type CommandName } from '../../domain/commands';
import type { Actor } from '../../domain/schemas/commands';
import { FINAL_STAGES, STAGES, type Stage } from '../../domain/stages';
import { findParty, type PartnershipState } from '../../domain/state';
import { partnershipView } from '../../domain/view';
import { championOf, DomainDriver } from '../helpers/domain-driver';
import { withOak } from '../helpers/fixtures';

const ROLES = ['clerk', 'signatory', 'champion'] as const;

function actorsOf(state: PartnershipState): Actor[] {
  return [{ role: 'coordinator' }, ...state.parties.flatMap((p) => ROLES.map((role) => ({ role, partyId: p.id })))];
}

/** A body the schema accepts, with the prefill's values where it has them. */
const BASE: { [N in CommandName]: Omit<CommandBody<N>, 'requestId' | 'partyId'> } = {
  recordIntakeDecision: { accepted: true, interviewedOn: '2025-01-07' },
  recordResolution: { subject: 'participation', outcome: 'adopted', resolutionNumber: 'R-2025-001', adoptedOn: '2025-02-03' },
  recordMilestone: { milestone: 'launch-workshop', completedOn: '2025-02-10' },
  submitDraft: { version: 1, title: 'Entente', text: 'Les parties partagent l’eau potable.' },
  submitFeedback: { author: 'Council', comments: 'Clarify the cost sharing.' },
  sign: { signatoryName: 'Mona Mayor', signatoryTitle: 'Mayor', signedOn: '2025-06-02', draftVersion: 1 },
  recordReview: { heldOn: '2025-12-01', findings: 'On track.' },
  amendTerm: { newEndsOn: '2099-12-31', reason: 'Aligned on the fiscal year' },
  renew: { termMonths: 24, decidedOn: '2026-01-15' },
  giveNotice: { reason: 'Budget cuts' },
  withdrawNotice: {},
  withdrawParty: { reason: 'Leaving the region' },
  abandon: { reason: 'The parties changed their minds' },
  replaceContact: { role: 'clerk', contact: { name: 'Nora New', email: 'nora@riverside.example' } },
  setPartyRole: { role: 'provider' },
  setMeetingCalendar: { calendar: { rrule: 'FREQ=MONTHLY;BYDAY=2TU' } },
};
const TAKES_PARTY = new Set<CommandName>([
  'recordResolution',
  'submitFeedback',
  'sign',
  'giveNotice',
  'withdrawNotice',
  'withdrawParty',
  'replaceContact',
  'setPartyRole',
  'setMeetingCalendar',
]);

function bodyFor(state: PartnershipState, name: CommandName, actor: Actor): CommandBody<CommandName> {
  const view = partnershipView(state);
  // The coordinator acts for any party: the first still bound.
  const partyId = actor.partyId ?? state.parties.find((p) => p.status !== 'withdrawn')!.id;
  const schemaFields = Object.keys((COMMANDS[name].schema as unknown as { shape: Record<string, unknown> }).shape);
  const prefill = Object.fromEntries(Object.entries(prefillOf(view, name, actor.partyId)).filter(([field]) => schemaFields.includes(field)));
  const body = { requestId: `try-${name}-0001`, ...BASE[name], ...(TAKES_PARTY.has(name) ? { partyId } : {}), ...prefill };
  const parsed = COMMANDS[name].schema.safeParse(body);
  if (!parsed.success) throw new Error(`the body tried for ${name} is not valid: ${parsed.error.message}`);
  return parsed.data as CommandBody<CommandName>;
}

/** What the workflow's validator takes as fitting this stage and this sender. */
function accepted(driver: DomainDriver, actor: Actor): CommandName[] {
  return COMMAND_NAMES.filter((name) => {
    const refusal = commandRefusal(driver.state, name, bodyFor(driver.state, name, actor), actor, driver.now);
    return refusal === undefined || (refusal.code !== 'stage' && refusal.code !== 'forbidden');
  });
}

const seen = new Set<Stage>();

/** At this point of the lifecycle, for every sender: offered == accepted. */
function offeredEqualsAccepted(driver: DomainDriver): Map<string, OfferedAction[]> {
  const view = partnershipView(driver.state);
  seen.add(view.stage);
  const byActor = new Map<string, OfferedAction[]>();
  for (const actor of actorsOf(driver.state)) {
    const offered = offeredActions(view, actor);
    const who = actor.partyId ? `${actor.role}:${actor.partyId}` : actor.role;
    byActor.set(who, offered);
    if (actor.partyId && findParty(driver.state, actor.partyId)!.status === 'withdrawn') {
      expect({ stage: view.stage, who, offered }).toEqual({ stage: view.stage, who, offered: [] });
      continue;
    }
    expect({ stage: view.stage, who, offered: offered.map((a) => a.command) }).toEqual({ stage: view.stage, who, offered: accepted(driver, actor) });
    for (const action of offered) {
      expect(action.route).toBe(`/partnerships/water/${COMMANDS[action.command].route}`);
      if (actor.partyId) {
        expect(action.partyId).toBe(actor.partyId);
        expect(action.prefill.partyId).toBe(actor.partyId);
      } else {
        expect(action.partyId).toBeUndefined();
      }
    }
  }
  return byActor;
}

const commandsOf = (byActor: Map<string, OfferedAction[]>, who: string) => byActor.get(who)!.map((a) => a.command);
const actionOf = (byActor: Map<string, OfferedAction[]>, who: string, command: CommandName) => byActor.get(who)!.find((a) => a.command === command)!;

describe('across the lifecycle, what is offered is what the workflow accepts', () => {
  test('every stage from intake to notice and back, for the coordinator and each contact of each party', () => {
    const driver = new DomainDriver(withOak());
    const parties = () => driver.partyIds;

    let offered = offeredEqualsAccepted(driver);
    expect(commandsOf(offered, 'coordinator')).toEqual(['recordIntakeDecision', 'abandon', 'replaceContact', 'setPartyRole', 'setMeetingCalendar']);
    // A clerk keeps the council's meeting calendar, whatever the stage.
    expect(commandsOf(offered, 'clerk:riverside')).toEqual(['setMeetingCalendar']);
    expect(commandsOf(offered, 'champion:riverside')).toEqual(['replaceContact']);

    driver.send('recordIntakeDecision', { accepted: true, interviewedOn: '2025-01-07' });
    offered = offeredEqualsAccepted(driver);
    expect(commandsOf(offered, 'clerk:maple')).toEqual(['recordResolution', 'setMeetingCalendar']);
    expect(actionOf(offered, 'clerk:maple', 'recordResolution').prefill).toEqual({ partyId: 'maple', subject: 'participation' });

    driver.participation('riverside', 'adopted');
    offeredEqualsAccepted(driver); // riverside's clerk is still offered it: a second one is a conflict, which names the first
    for (const partyId of parties().slice(1)) driver.participation(partyId, 'adopted');
    expect(driver.state.stage).toBe('groundwork');
    offered = offeredEqualsAccepted(driver);
    expect(actionOf(offered, 'coordinator', 'recordMilestone').prefill).toEqual({ milestone: 'launch-workshop' });

    driver.completeGroundwork();
    offered = offeredEqualsAccepted(driver);
    expect(actionOf(offered, 'coordinator', 'submitDraft').prefill).toEqual({ version: 1 });

    driver.submitDraft(1);
    offered = offeredEqualsAccepted(driver);
    expect(commandsOf(offered, 'champion:oak')).toEqual(['submitFeedback', 'withdrawParty', 'replaceContact']);
    expect(actionOf(offered, 'champion:oak', 'submitFeedback').prefill).toEqual({ partyId: 'oak', draftVersion: 1 });
    expect(actionOf(offered, 'coordinator', 'recordMilestone').prefill).toEqual({ milestone: 'review-workshop' });

    for (const partyId of parties()) driver.feedback(partyId);
    expect(driver.state.stage).toBe('revision');
    offeredEqualsAccepted(driver);
    driver.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' });
    offeredEqualsAccepted(driver);

    driver.submitDraft(2);
    expect(driver.state.stage).toBe('approval');
    offered = offeredEqualsAccepted(driver);
    const v2 = driver.state.drafts.at(-1)!;
    expect(actionOf(offered, 'clerk:riverside', 'recordResolution').prefill).toEqual({
      partyId: 'riverside',
      subject: 'approval',
      draftVersion: 2,
      draftHash: v2.sha256,
    });
    expect(commandsOf(offered, 'signatory:riverside')).toEqual([]); // approvals are still missing

    driver.approval('riverside');
    offeredEqualsAccepted(driver);
    for (const partyId of parties().slice(1)) driver.approval(partyId);
    expect(driver.state.stage).toBe('signing');
    offered = offeredEqualsAccepted(driver);
    expect(actionOf(offered, 'signatory:maple', 'sign').prefill).toEqual({ partyId: 'maple', draftVersion: 2, draftHash: v2.sha256 });

    driver.sign('riverside');
    offeredEqualsAccepted(driver);
    for (const partyId of parties().slice(1)) driver.sign(partyId);
    expect(driver.state.stage).toBe('in-force');
    offered = offeredEqualsAccepted(driver);
    expect(commandsOf(offered, 'champion:riverside')).toEqual(['giveNotice', 'withdrawParty', 'replaceContact']);

    driver.send('giveNotice', { partyId: 'riverside', reason: 'Budget cuts' }, championOf('riverside'));
    expect(driver.state.stage).toBe('notice');
    offered = offeredEqualsAccepted(driver);
    expect(commandsOf(offered, 'coordinator')).not.toContain('giveNotice');
    expect(actionOf(offered, 'coordinator', 'withdrawNotice').prefill).toEqual({ partyId: 'riverside' });

    driver.send('withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));
    expect(driver.state.stage).toBe('in-force');
    offeredEqualsAccepted(driver);

    driver.fire(driver.deadline('expiry'));
    expect(driver.state.stage).toBe('expired');
    offeredEqualsAccepted(driver);

    expect([...seen].sort()).toEqual(STAGES.filter((s) => !['declined', 'abandoned', 'dissolved'].includes(s)).sort());
  });

  test("a party that withdrew: its contacts are offered nothing, the others' actions are unchanged in kind", () => {
    const driver = new DomainDriver(withOak()).toGroundwork();
    driver.send('withdrawParty', { partyId: 'oak', reason: 'Leaving the region' });
    expect(findParty(driver.state, 'oak')!.status).toBe('withdrawn');
    const offered = offeredEqualsAccepted(driver);
    for (const role of ROLES) expect(offered.get(`${role}:oak`)).toEqual([]);
    expect(commandsOf(offered, 'champion:maple')).toEqual(['withdrawParty', 'replaceContact']);
  });
});

describe('an ended partnership offers nothing to anyone', () => {
  const ended: Array<[Stage, () => DomainDriver]> = [
    [
      'declined',
      () => {
        const driver = new DomainDriver(withOak());
        driver.send('recordIntakeDecision', { accepted: false, interviewedOn: '2025-01-07' });
        return driver;
      },
    ],
    [
      'abandoned',
      () => {
        const driver = new DomainDriver(withOak()).toGroundwork();
        driver.send('abandon', { reason: 'The parties changed their minds' });
        return driver;
      },
    ],
    [
      'dissolved',
      () => {
        const driver = new DomainDriver(withOak()).toNotice();
        driver.fire(driver.deadline('notice-end'));
        return driver;
      },
    ],
    [
      'expired',
      () => {
        const driver = new DomainDriver(withOak()).toInForce();
        driver.fire(driver.deadline('expiry'));
        return driver;
      },
    ],
  ];

  test.each(ended)('%s', (stage, reach) => {
    const driver = reach();
    expect(driver.state.stage).toBe(stage);
    const offered = offeredEqualsAccepted(driver);
    for (const [, actions] of offered) expect(actions).toEqual([]);
  });

  test('every final stage is covered', () => {
    expect(ended.map(([stage]) => stage).sort()).toEqual([...FINAL_STAGES].sort());
  });
});

test('where a stage depends on a value of the body, the stages of the values make up the command’s stages', () => {
  for (const [name, byValue] of Object.entries(STAGES_BY_VALUE) as Array<[keyof typeof STAGES_BY_VALUE, { stages: Record<string, readonly Stage[]> }]>) {
    const union = new Set(Object.values(byValue.stages).flat());
    expect({ name, stages: [...union].sort() }).toEqual({ name, stages: [...COMMAND_INFO[name].stages].sort() });
  }
});
