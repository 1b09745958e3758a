/**
 * The desk's visibility listing, against a stand-in for Temporal's ListWorkflowExecutions: the
 * store may list a partnership's old run as running beside its new one for a moment after a
 * hand-over (continue-as-new), and the desk must still count each partnership once. The list's
 * pages: test/unit/partnership-list.test.ts.
 */
import type { Client } from '@temporalio/client';
import { listWorkflowIds, liveQuery } from '../../api/listing';

type Page = { ids: string[]; next?: string };

/** A client whose visibility answers these pages in turn, and records the page sizes asked. */
function visibility(pages: Page[]) {
  const asked: Array<{ pageSize: number; token?: string }> = [];
  const client = {
    workflowService: {
      async listWorkflowExecutions(request: { pageSize: number; nextPageToken?: Uint8Array }) {
        const token = request.nextPageToken ? Buffer.from(request.nextPageToken).toString() : undefined;
        asked.push({ pageSize: request.pageSize, ...(token ? { token } : {}) });
        const page = pages[token === undefined ? 0 : Number(token)]!;
        return {
          executions: page.ids.map((workflowId, i) => ({ execution: { workflowId, runId: `run-${i}` } })),
          nextPageToken: page.next ? Buffer.from(page.next) : new Uint8Array(),
        };
      },
    },
  } as unknown as Client;
  return { client, asked };
}

test('the live ids count a partnership listed twice (its old run and its new one) once', async () => {
  const { client } = visibility([{ ids: ['partnership-a', 'partnership-b', 'partnership-a', 'partnership-c'] }]);
  await expect(listWorkflowIds(client, 'default', liveQuery({}, new Date()), 10)).resolves.toEqual({
    workflowIds: ['partnership-a', 'partnership-b', 'partnership-c'],
    more: false,
  });
});

test('the cap counts distinct partnerships, across pages', async () => {
  const { client, asked } = visibility([
    { ids: ['partnership-a', 'partnership-a'], next: '1' },
    { ids: ['partnership-b', 'partnership-a', 'partnership-c'], next: '2' },
    { ids: ['partnership-d'] },
  ]);
  const listed = await listWorkflowIds(client, 'default', liveQuery({}, new Date()), 2);
  expect(listed).toEqual({ workflowIds: ['partnership-a', 'partnership-b'], more: true });
  // A duplicate fills no place: the second page was needed to reach two partnerships, the third was not.
  expect(asked.map((a) => a.token)).toEqual([undefined, '1']);
  expect(asked[0]!.pageSize).toBe(2);
});
