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
    .sort(morePressing);
}

/**
 * The desk's one order: overdue first, then due this week, then later; within each, what was
 * escalated to the coordinator first, then the oldest. Ties fall to the partnership, and within
 * one to the order of its pending actions (the sort is stable): the same entries always come in
 * the same order, so that pages neither overlap nor leave a gap.
 */
export function morePressing(a: DeskEntry, b: DeskEntry): number {
  return (
    DESK_STATUSES.indexOf(a.status) - DESK_STATUSES.indexOf(b.status) ||
    Number(b.escalated) - Number(a.escalated) ||
    Date.parse(a.since) - Date.parse(b.since) ||
    (a.partnershipId < b.partnershipId ? -1 : a.partnershipId > b.partnershipId ? 1 : 0)
  );
}

/** How many entries of each status the desk holds in all, and how many of them were escalated. */
export type DeskCounts = Record<DeskStatus, number> & { escalated: number };

export interface DeskPage {
  /** `limit` entries from `offset`, in the desk's order. */
  entries: DeskEntry[];
  /** Every entry that matched, of which `entries` is a page. */
  entriesTotal: number;
  counts: DeskCounts;
}

/**
 * One page of the desk: across thousands of partnerships the whole list is too long to send and
 * to read, so the most pressing come first and the counts say what the rest hold.
 */
export function deskPage(entries: readonly DeskEntry[], offset: number, limit: number): DeskPage {
  const counts: DeskCounts = { overdue: 0, 'due-this-week': 0, later: 0, escalated: 0 };
  for (const entry of entries) {
    counts[entry.status]++;
    if (entry.escalated) counts.escalated++;
  }
  return { entries: [...entries].sort(morePressing).slice(offset, offset + limit), entriesTotal: entries.length, counts };
}
