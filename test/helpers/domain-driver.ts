/**
 * Drives a partnership through the pure domain, as workflows/partnership.ts does but without
 * Temporal: a command is checked (commandRefusal), applied (commandEffects), then every stage
 * that is ready takes its step (stageReady / stageStep) until none is; a deadline is fired with
 * fireDeadline at its own time. Every effect is kept, in order, for the tests to look at.
 */
import { commandRefusal, type CommandBody, type CommandName } from '../../domain/commands';
import { nextDeadline, type Deadline, type DeadlineKind, deadlines } from '../../domain/deadlines';
import { commandEffects, fireDeadline, stageReady, stageStep, type Effects, type StageOptions, type StageStep } from '../../domain/lifecycle';
import type { Actor } from '../../domain/schemas/commands';
import type { MeetingSchedule } from '../../domain/meeting-calendar';
import type { StartPartnership } from '../../domain/schemas/partnership';
import { initialState, type PartnershipState } from '../../domain/state';
import { DAY } from '../../domain/time';
import { startRequest } from './fixtures';

export const T0 = Date.parse('2025-01-06T09:00:00Z');

export const coordinator: Actor = { role: 'coordinator' };
export const clerkOf = (partyId: string): Actor => ({ role: 'clerk', partyId });
export const signatoryOf = (partyId: string): Actor => ({ role: 'signatory', partyId });
export const championOf = (partyId: string): Actor => ({ role: 'champion', partyId });

export type Body<N extends CommandName> = Omit<CommandBody<N>, 'requestId'> & { requestId?: string };

export const draftText = (version: number): string => `Entente de services partagés, version ${version}.\nLes parties partagent l'eau potable.`;

export class DomainDriver {
  readonly state: PartnershipState;
  now: number;
  readonly options: StageOptions;
  /** Every effect in the order the workflow would carry them out. */
  readonly effects: Effects[] = [];
  private sequence = 0;

  constructor(request: StartPartnership = startRequest(), options: Partial<StageOptions> & { at?: number; schedules?: Record<string, MeetingSchedule> } = {}) {
    this.now = options.at ?? T0;
    this.state = initialState('water', request, this.now, options.schedules);
    this.options = { rejectionGrace: options.rejectionGrace ?? true, councilCalendars: options.councilCalendars ?? true };
  }

  /** Moves the clock forward (never back). */
  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  at(ms: number): this {
    if (ms < this.now) throw new Error(`the clock does not go back: ${new Date(ms).toISOString()} < ${new Date(this.now).toISOString()}`);
    this.now = ms;
    return this;
  }

  /** Applies one accepted command, a day after the previous event, without stepping the stage. */
  apply<N extends CommandName>(name: N, body: Body<N>, actor: Actor = coordinator): Effects {
    this.advance(DAY);
    const command = { requestId: `${name}-${++this.sequence}`, ...body } as CommandBody<N>;
    const refusal = commandRefusal(this.state, name, command, actor, this.now, this.options);
    if (refusal) throw new Error(`${name} refused: ${refusal.code}: ${refusal.message}`);
    const effects = commandEffects(this.state, name, command, actor, this.now);
    this.effects.push(effects);
    return effects;
  }

  /** Every step the stages take now, as the workflow's loop takes them. */
  settle(): StageStep[] {
    const steps: StageStep[] = [];
    for (let i = 0; i < 20 && stageReady(this.state, this.now, this.options); i++) {
      const step = stageStep(this.state, this.now, this.options);
      steps.push(step);
      this.effects.push(step);
    }
    return steps;
  }

  /** A command, then the stage steps it makes ready. */
  send<N extends CommandName>(name: N, body: Body<N>, actor: Actor = coordinator): { command: Effects; steps: StageStep[] } {
    const command = this.apply(name, body, actor);
    return { command, steps: this.settle() };
  }

  /** Fires a deadline (the next one unless given) at its time, or `late` ms after it; no stage step. */
  fire(deadline: Deadline | undefined = nextDeadline(this.state, this.options), late = 0): Effects {
    if (!deadline) throw new Error('no deadline to fire');
    this.at(Math.max(this.now, deadline.at + late));
    const effects = fireDeadline(this.state, deadline, this.now);
    this.effects.push(effects);
    return effects;
  }

  /** The one deadline of a kind (for a party) the state has now. */
  deadline(kind: DeadlineKind, partyId?: string): Deadline {
    const found = deadlines(this.state, this.options).filter((d) => d.kind === kind && (partyId === undefined || d.partyId === partyId));
    if (found.length !== 1) throw new Error(`expected one ${kind} deadline, found ${JSON.stringify(found)}`);
    return found[0]!;
  }

  // ── Through the stages, every party saying yes ────────────────────────────────────────────

  get partyIds(): string[] {
    return this.state.parties.filter((p) => p.status !== 'withdrawn').map((p) => p.id);
  }

  toCommitment(): this {
    this.send('recordIntakeDecision', { accepted: true, interviewedOn: '2025-01-07' });
    return this.expectStage('commitment');
  }

  toGroundwork(): this {
    this.toCommitment();
    for (const partyId of this.partyIds) this.participation(partyId, 'adopted');
    return this.expectStage('groundwork');
  }

  participation(partyId: string, outcome: 'adopted' | 'rejected') {
    return this.send(
      'recordResolution',
      { partyId, subject: 'participation', outcome, resolutionNumber: `P-${partyId}`, adoptedOn: '2025-02-03' },
      clerkOf(partyId),
    );
  }

  /** Every required milestone of the template but the last one (whose recording ends groundwork). */
  completeGroundwork(): this {
    this.send('recordMilestone', { milestone: 'launch-workshop', completedOn: '2025-02-10' });
    for (const milestone of ['communication-protocol', 'feasibility-study', 'public-engagement-strategy', 'funding-proposal'] as const) {
      if (this.state.stage !== 'groundwork') break;
      this.send('recordMilestone', { milestone, completedOn: '2025-02-20' });
    }
    return this.expectStage('drafting');
  }

  toDrafting(): this {
    return this.toGroundwork().completeGroundwork();
  }

  submitDraft(version: number) {
    return this.send('submitDraft', { version, title: `Entente, version ${version}`, text: draftText(version) });
  }

  toConsultation(): this {
    this.toDrafting().submitDraft(1);
    return this.expectStage('consultation');
  }

  feedback(partyId: string, comments = 'Clarify the cost sharing.') {
    return this.send('submitFeedback', { partyId, author: `Council of ${partyId}`, comments }, championOf(partyId));
  }

  toRevision(): this {
    this.toConsultation();
    for (const partyId of this.partyIds) this.feedback(partyId);
    return this.expectStage('revision');
  }

  toApproval(): this {
    this.toRevision();
    this.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' });
    this.submitDraft(2);
    return this.expectStage('approval');
  }

  approval(partyId: string, outcome: 'adopted' | 'rejected' = 'adopted', reason?: string) {
    const version = this.state.approvalRound!.draftVersion;
    return this.send(
      'recordResolution',
      {
        partyId,
        subject: 'approval',
        outcome,
        resolutionNumber: `A-${partyId}-v${version}`,
        adoptedOn: '2025-05-05',
        draftVersion: version,
        ...(reason !== undefined ? { reason } : {}),
      },
      clerkOf(partyId),
    );
  }

  toSigning(): this {
    this.toApproval();
    for (const partyId of this.partyIds) this.approval(partyId);
    return this.expectStage('signing');
  }

  sign(partyId: string, signedOn = '2025-06-02') {
    const draftVersion = this.state.signingRound!.draftVersion;
    return this.send('sign', { partyId, signatoryName: `Signatory of ${partyId}`, signatoryTitle: 'Mayor', signedOn, draftVersion }, signatoryOf(partyId));
  }

  toInForce(): this {
    this.toSigning();
    for (const partyId of this.partyIds) this.sign(partyId);
    return this.expectStage('in-force');
  }

  toNotice(partyId = 'riverside', noticeDays?: number): this {
    this.toInForce();
    this.send('giveNotice', { partyId, reason: 'Budget cuts', ...(noticeDays !== undefined ? { noticeDays } : {}) }, championOf(partyId));
    return this.expectStage('notice');
  }

  expectStage(stage: PartnershipState['stage']): this {
    if (this.state.stage !== stage) throw new Error(`expected stage ${stage}, the partnership is in ${this.state.stage}`);
    return this;
  }
}
