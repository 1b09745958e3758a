import type { DeadlineReason } from './deadlines';
import type { ObligationKind, Owner } from './obligations';
import type { Stage } from './stages';
import type { TemplateId } from './templates';
import { DAY } from './time';
import type { DeskSummary } from './view';

/** How pressing a thing owed is; the desk lists them in this order. */
export const DESK_STATUSES = ['overdue', 'due-this-week', 'later'] as const;
export type DeskStatus = (typeof DESK_STATUSES)[number];

/** One thing owed in one partnership, as the coordinator's desk lists it. Dates are ISO 8601. */
export interface DeskEntry {
  partnershipId: string;
  title: string;
  stage: Stage;
  template: TemplateId;
  partyId?: string;
  who: Owner;
  what: ObligationKind;
  detail?: string;
  since: string;
  /** When it is due, where a date says so (the consultation's close, a grace period's end). */
  dueAt?: string;
  nextReminderAt?: string;
  /** Why its next date falls when it does (a council's meeting and agenda, a working morning). */
  because?: DeadlineReason;
  /**
   * `overdue`: a reminder was sent already, or its due date or first reminder has passed;
   * `due-this-week`: either falls within seven days; `later`: anything else, including what
   * no date bounds (the coordinator's own intake decision).
   */
  status: DeskStatus;
  /** The reminders went unanswered so long that the coordinator was told (the template's count). */
  escalated: boolean;
  remindersSent?: number;
}

const WEEK = 7 * DAY;

/**
 * What the coordinator's desk shows of one partnership at `now`: each pending action with how
 * pressing it is, overdue first, then the oldest first. Pure: computed from the state query's
 * view, so the API can gather it across partnerships without asking the workflows anything else.
 */
export function deskEntries(view: DeskSummary, now: number): DeskEntry[] {
  return view.pendingActions
    .map((action): DeskEntry => {
      const reminded = (action.remindersSent ?? 0) > 0;
      const dates = [action.dueAt, action.nextReminderAt].filter((d): d is string => d !== undefined).map((d) => Date.parse(d));
      const due = dates.length > 0 ? Math.min(...dates) : undefined;
      const status: DeskStatus = reminded || (due !== undefined && due <= now) ? 'overdue' : due !== undefined && due <= now + WEEK ? 'due-this-week' : 'later';
      return {
        partnershipId: view.id,
        title: view.title,
        stage: view.stage,
        template: view.template,
        ...(action.partyId !== undefined ? { partyId: action.partyId } : {}),
        who: action.who,
        what: action.what,
        ...(action.detail !== undefined ? { detail: action.detail } : {}),
        since: action.since,
        ...(action.dueAt !== undefined ? { dueAt: action.dueAt } : {}),
        ...(action.nextReminderAt !== undefined ? { nextReminderAt: action.nextReminderAt } : {}),
        ...(action.because !== undefined ? { because: action.because } : {}),
        status,
        escalated: action.escalated === true,
        ...(reminded ? { remindersSent: action.remindersSent } : {}),
      };
    })
    .sort((a, b) => DESK_STATUSES.indexOf(a.status) - DESK_STATUSES.indexOf(b.status) || Date.parse(a.since) - Date.parse(b.since));
}
