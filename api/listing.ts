import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { PartyId, STAGES, TEMPLATE_IDS } from '../domain';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from '../workflows/search-attributes';

export const ListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  template: z.enum(TEMPLATE_IDS).optional(),
  party: PartyId.optional(),
  deadlineAfter: z.iso.datetime({ offset: true }).optional(),
  deadlineBefore: z.iso.datetime({ offset: true }).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  pageToken: z.string().max(2000).regex(/^[A-Za-z0-9+/=_-]*$/).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

/**
 * A visibility query from validated filters only: every value is an enum, a slug or an ISO
 * instant, so nothing a caller sends can change the query's shape.
 */
export function visibilityQuery(q: ListQuery): string {
  const clauses = [`WorkflowType = 'partnershipWorkflow'`];
  if (q.stage) clauses.push(`${STAGE.name} = '${q.stage}'`);
  if (q.template) clauses.push(`${TEMPLATE.name} = '${q.template}'`);
  if (q.party) clauses.push(`${PARTIES.name} = '${q.party}'`);
  if (q.deadlineAfter) clauses.push(`${NEXT_DEADLINE.name} >= '${new Date(q.deadlineAfter).toISOString()}'`);
  if (q.deadlineBefore) clauses.push(`${NEXT_DEADLINE.name} <= '${new Date(q.deadlineBefore).toISOString()}'`);
  return clauses.join(' AND ');
}

export async function listPartnerships(client: Client, namespace: string, q: ListQuery) {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace,
    query: visibilityQuery(q),
    pageSize: q.pageSize,
    ...(q.pageToken ? { nextPageToken: Buffer.from(q.pageToken, 'base64url') } : {}),
  });
  const items = (response.executions ?? []).map((execution) => {
    const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
    const workflowId = execution.execution?.workflowId ?? '';
    const deadline = attributes.get(NEXT_DEADLINE);
    return {
      id: workflowId.replace(/^partnership-/, ''),
      stage: attributes.get(STAGE) ?? null,
      template: attributes.get(TEMPLATE) ?? null,
      parties: attributes.get(PARTIES) ?? [],
      nextDeadline: deadline ? deadline.toISOString() : null,
    };
  });
  const next = response.nextPageToken && response.nextPageToken.length > 0 ? Buffer.from(response.nextPageToken).toString('base64url') : null;
  return { items, nextPageToken: next };
}
