import { z } from 'zod';
import { PartyId, singleLine } from '../schemas/common';

/**
 * A RACI matrix as the ODEN guide draws it (Resource 4): one row per task with its lead
 * organisation, one column per role (a job title in one organisation), and in each cell who is
 * Responsible, Accountable, Consulted or Informed. "A/R" is the common case of an accountable
 * person who also does the work.
 */
export const RACI_LETTERS = ['R', 'A', 'C', 'I', 'A/R'] as const;
export type RaciLetter = (typeof RACI_LETTERS)[number];

export const RoleId = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens');

export const RaciRole = z.strictObject({
  id: RoleId,
  /** A title, not a name: the agreement stays true when people change jobs. */
  title: singleLine(200),
  partyId: PartyId,
});
export type RaciRole = z.infer<typeof RaciRole>;

export const RaciTask = z.strictObject({
  task: singleLine(300),
  /** The one organisation that leads the task; the Accountable role belongs to it. */
  lead: PartyId,
  assignments: z.record(RoleId, z.enum(RACI_LETTERS)),
});
export type RaciTask = z.infer<typeof RaciTask>;

export interface RaciIssue {
  /** Where in the matrix, for a form to point at the field. */
  path: Array<string | number>;
  /** The task's name, so that a person reading the error knows which row to fix. */
  task?: string;
  message: string;
}

const isAccountable = (letter: RaciLetter) => letter === 'A' || letter === 'A/R';
const isResponsible = (letter: RaciLetter) => letter === 'R' || letter === 'A/R';

/**
 * The rules of the guide: exactly one Accountable per task (it carries the decision and the
 * veto, so two would be none), at least one Responsible, one lead organisation that is a party
 * and to which the Accountable belongs. Roles must be known and belong to parties. `partyIds`
 * are the agreement's parties; without them only the matrix's own consistency is checked.
 */
export function raciIssues(matrix: { roles: RaciRole[]; tasks: RaciTask[] }, partyIds?: readonly string[]): RaciIssue[] {
  const issues: RaciIssue[] = [];
  const roles = new Map<string, RaciRole>();
  matrix.roles.forEach((role, index) => {
    if (roles.has(role.id)) issues.push({ path: ['roles', index, 'id'], message: `role "${role.id}" is listed twice` });
    roles.set(role.id, role);
    if (partyIds && !partyIds.includes(role.partyId)) {
      issues.push({ path: ['roles', index, 'partyId'], message: `role "${role.title}" belongs to "${role.partyId}", which is not a party` });
    }
  });
  const seen = new Set<string>();
  matrix.tasks.forEach((row, index) => {
    const at = (...rest: Array<string | number>) => ['tasks', index, ...rest];
    const issue = (path: Array<string | number>, message: string) => issues.push({ path, task: row.task, message: `task "${row.task}": ${message}` });
    if (seen.has(row.task)) issue(at('task'), 'is listed twice');
    seen.add(row.task);
    if (partyIds && !partyIds.includes(row.lead)) issue(at('lead'), `the lead organisation "${row.lead}" is not a party`);
    const cells = Object.entries(row.assignments);
    for (const [roleId] of cells) {
      if (!roles.has(roleId)) issue(at('assignments', roleId), `role "${roleId}" is not in the matrix's roles`);
    }
    const accountable = cells.filter(([, letter]) => isAccountable(letter)).map(([roleId]) => roleId);
    if (accountable.length === 0) issue(at('assignments'), 'has no Accountable (A); exactly one is needed');
    if (accountable.length > 1) {
      issue(
        at('assignments'),
        `has ${accountable.length} Accountable (${accountable.map((id) => roles.get(id)?.title ?? id).join(', ')}); exactly one is needed`,
      );
    }
    if (!cells.some(([, letter]) => isResponsible(letter))) issue(at('assignments'), 'has no Responsible (R); at least one is needed');
    const owner = accountable.length === 1 ? roles.get(accountable[0]!) : undefined;
    if (owner && owner.partyId !== row.lead) {
      issue(at('lead'), `the Accountable (${owner.title}) is in "${owner.partyId}", not in the lead organisation "${row.lead}"`);
    }
  });
  return issues;
}

export const RaciMatrix = z
  .strictObject({
    roles: z.array(RaciRole).min(1).max(50),
    tasks: z.array(RaciTask).min(1).max(200),
  })
  .superRefine((matrix, ctx) => {
    for (const issue of raciIssues(matrix)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type RaciMatrix = z.infer<typeof RaciMatrix>;
