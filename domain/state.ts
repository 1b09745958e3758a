import type { Actor } from './schemas/commands';
import type { Contact, Party, StartPartnership } from './schemas/partnership';
import type { ResolutionSubject } from './schemas/commands';
import type { Stage } from './stages';
import { TEMPLATES, type DurationSettings, type TemplateId } from './templates';

export interface PartyState extends Party {
  status: 'active' | 'withdrawn';
}

export interface ResolutionRecord {
  partyId: string;
  subject: ResolutionSubject;
  outcome: 'adopted' | 'rejected';
  resolutionNumber: string;
  adoptedOn: string;
  draftVersion?: number;
  draftHash?: string;
  documentUrl?: string;
  reason?: string;
  recordedAt: number;
  requestId: string;
}

export interface ReminderTrack {
  /** Reminders sent so far for this obligation. */
  count: number;
  lastAt: number;
  escalated: boolean;
}

export interface TimelineEntry {
  at: number;
  event: string;
  partyId?: string;
  detail?: string;
}

export interface AppliedCommand {
  command: string;
  /** SHA-256 of the command's canonical JSON: the same request id with another body is refused. */
  fingerprint: string;
  at: number;
}

/** Everything the workflow knows; carried whole through continue-as-new. */
export interface PartnershipState {
  id: string;
  template: TemplateId;
  title: string;
  purpose: string;
  context?: string;
  coordinator: Contact & { language: 'fr' | 'en' };
  parties: PartyState[];
  durations: DurationSettings;
  stage: Stage;
  stageSince: number;
  startedAt: number;
  intake?: { accepted: boolean; interviewedOn: string; notes?: string; decidedAt: number };
  resolutions: ResolutionRecord[];
  reminders: Record<string, ReminderTrack>;
  timeline: TimelineEntry[];
  applied: Record<string, AppliedCommand>;
  closedReason?: string;
}

export function initialState(id: string, request: StartPartnership, now: number): PartnershipState {
  const template = TEMPLATES[request.template];
  return {
    id,
    template: request.template,
    title: request.title,
    purpose: request.purpose,
    ...(request.context !== undefined ? { context: request.context } : {}),
    coordinator: request.coordinator,
    parties: request.parties.map((party) => ({ ...party, status: 'active' as const })),
    durations: { ...template.durations, ...definedOnly(request.durations ?? {}) },
    stage: 'intake',
    stageSince: now,
    startedAt: now,
    resolutions: [],
    reminders: {},
    timeline: [{ at: now, event: 'application-received' }],
    applied: {},
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const activeParties = (state: PartnershipState): PartyState[] =>
  state.parties.filter((party) => party.status === 'active');

export const findParty = (state: PartnershipState, partyId: string): PartyState | undefined =>
  state.parties.find((party) => party.id === partyId);

export function enterStage(state: PartnershipState, stage: Stage, now: number, detail?: string): void {
  state.stage = stage;
  state.stageSince = now;
  state.timeline.push({ at: now, event: `stage:${stage}`, ...(detail ? { detail } : {}) });
}

export type { Actor };
