import { COMMAND_INFO, COMMAND_NAMES, STAGES_BY_VALUE, type CommandName } from './command-catalogue';
import type { Actor } from './schemas/commands';
import { isFinal, type Stage } from './stages';
import type { PartnershipView } from './view';

/**
 * A command the page offers a person now: the route to send it to, the party it acts for (a
 * party contact's own), and what is already known of its body. `prefill` holds body fields, and
 * for feedback the draft version the consultation is about (the document shown beside the form).
 */
export interface OfferedAction {
  command: CommandName;
  route: string;
  partyId?: string;
  prefill: Record<string, string | number | boolean>;
}

/** Who is looking at the partnership: the coordinator, or a contact of one party. */
export type Viewer = Pick<Actor, 'role' | 'partyId'>;

/**
 * The commands that fit the partnership's stage and the viewer's role, from the same data the
 * workflow's rules check (COMMAND_INFO's `roles` and `stages`): what is offered is exactly what
 * would not be refused as out of stage or forbidden (test/unit/actions.test.ts holds this across
 * the lifecycle). A party contact acts for their own party only, and for nothing once it has
 * withdrawn; an ended partnership offers nothing. Pure, and free of zod: the API computes it from
 * the state query's view for each caller.
 */
export function offeredActions(view: PartnershipView, viewer: Viewer): OfferedAction[] {
  if (isFinal(view.stage)) return [];
  let partyId: string | undefined;
  if (viewer.role !== 'coordinator') {
    const party = view.parties.find((p) => p.id === viewer.partyId);
    if (!party || party.status === 'withdrawn') return [];
    partyId = party.id;
  }
  return COMMAND_NAMES.filter((name) => {
    const info = COMMAND_INFO[name];
    return (info.roles as readonly string[]).includes(viewer.role) && (info.stages as readonly Stage[]).includes(view.stage);
  }).map((name) => ({
    command: name,
    route: `/partnerships/${encodeURIComponent(view.id)}/${COMMAND_INFO[name].route}`,
    ...(partyId !== undefined ? { partyId } : {}),
    prefill: prefillOf(view, name, partyId),
  }));
}

/**
 * What is already known of a command's body in the partnership as it is: the party (a contact's
 * own, or the one whose notice runs), the resolution's subject in its stage with the version under
 * approval and its hash, the version to sign and its hash, the next draft's version, the version a
 * consultation is about, the milestone the stage waits for.
 */
export function prefillOf(view: PartnershipView, name: CommandName, partyId?: string): OfferedAction['prefill'] {
  const prefill: OfferedAction['prefill'] = {};
  if (partyId !== undefined) prefill.partyId = partyId;
  const draft = view.drafts[view.drafts.length - 1];
  switch (name) {
    case 'recordResolution': {
      const subject = valueFitting('recordResolution', view.stage);
      if (subject !== undefined) prefill.subject = subject;
      if (subject === 'approval' && draft) Object.assign(prefill, { draftVersion: draft.version, draftHash: draft.sha256 });
      break;
    }
    case 'recordMilestone': {
      const owed = view.pendingActions.find((a) => a.what === 'milestone' && a.detail !== undefined)?.detail;
      const recorded = new Set(view.milestones.map((m) => m.milestone));
      const milestone = owed ?? valueFitting('recordMilestone', view.stage, (m) => !recorded.has(m)) ?? valueFitting('recordMilestone', view.stage);
      if (milestone !== undefined) prefill.milestone = milestone;
      break;
    }
    case 'sign':
      if (draft) Object.assign(prefill, { draftVersion: draft.version, draftHash: draft.sha256 });
      break;
    case 'submitDraft':
      prefill.version = (draft?.version ?? 0) + 1;
      break;
    case 'submitFeedback': {
      const round = view.consultations[view.consultations.length - 1];
      if (round) prefill.draftVersion = round.draftVersion;
      break;
    }
    case 'withdrawNotice':
      if (view.notice && partyId === undefined) prefill.partyId = view.notice.partyId;
      break;
    default:
      break;
  }
  return prefill;
}

/** The first value of the field a command's stage depends on that fits this stage (and `keep`). */
function valueFitting(name: keyof typeof STAGES_BY_VALUE, stage: Stage, keep: (value: string) => boolean = () => true): string | undefined {
  const byValue: Record<string, readonly Stage[]> = STAGES_BY_VALUE[name].stages;
  return Object.keys(byValue).find((value) => byValue[value]!.includes(stage) && keep(value));
}
