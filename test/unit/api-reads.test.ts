/**
 * How PartnershipService reads a partnership (api/service.ts), on a client that records what it
 * is asked and answers as Temporal does. The read update itself, against a real server and worker,
 * is covered by test/e2e/reads.test.ts.
 *
 * | partnership, workers                                   | expects                                                          |
 * |--------------------------------------------------------|------------------------------------------------------------------|
 * | running; every worker names `reads`                    | the read update, its refusal's detail as the answer; no query    |
 * | running; a worker from before (no `reads` feature)     | the state query; no update                                       |
 * | running; the update refused otherwise (a worker that   | the state query after it                                         |
 * | does not know it, the feature check notwithstanding)   |                                                                  |
 * | ended                                                  | the state query; no update                                       |
 * | three reads of one partnership at once                 | one update, one answer for all three                             |
 * | the agreement in French                                | the read update asks for it, with the language                   |
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { PartnershipService } from '../../api/service';
import { READ_ANSWER_TYPE, workerIdentity } from '../../workflows/messages';

interface Options {
  status?: 'RUNNING' | 'COMPLETED';
  identity?: string;
  /** How the workflow refuses the read update: with the answer, or as a worker that does not know it. */
  refusal?: 'answer' | 'unknown';
}

function fakeClient({ status = 'RUNNING', identity = workerIdentity('4242@host'), refusal = 'answer' }: Options = {}) {
  const asked = { updates: [] as unknown[], queries: [] as unknown[] };
  let release: () => void = () => undefined;
  const gate = { hold: false, released: new Promise<void>((resolve) => (release = resolve)) };
  const client = {
    workflow: {
      getHandle: (workflowId: string) => ({
        describe: async () => ({ status: { name: status } }),
        executeUpdate: async (_update: unknown, options: { args: unknown[] }) => {
          asked.updates.push(options.args[0]);
          if (gate.hold) await gate.released;
          const cause =
            refusal === 'answer'
              ? ApplicationFailure.create({ type: READ_ANSWER_TYPE, message: 'the answer is in the details', details: [{ id: workflowId, by: 'update' }] })
              : ApplicationFailure.create({ type: 'ReferenceError', message: 'No registered handler for update: read' });
          throw new WorkflowUpdateFailedError('Workflow Update failed', cause);
        },
        query: async (_query: unknown, ...args: unknown[]) => {
          asked.queries.push(args);
          return { id: workflowId, by: 'query' };
        },
      }),
    },
    withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn(),
    workflowService: {
      describeTaskQueue: async () => ({ pollers: [{ identity, lastAccessTime: { seconds: Date.now() / 1000, nanos: 0 } }] }),
    },
  } as unknown as Client;
  return { client, asked, gate, release: () => release() };
}

const serviceOf = (client: Client) => new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret' });

test('a running partnership is read by the read update, whose refusal carries the answer', async () => {
  const { client, asked } = fakeClient();
  expect(await serviceOf(client).state('riverside-maple')).toEqual({ id: 'partnership-riverside-maple', by: 'update' });
  expect(asked).toEqual({ updates: [{ what: 'state' }], queries: [] });
});

test('while a worker from before polls, the state query reads it', async () => {
  const { client, asked } = fakeClient({ identity: '4242@host entente-features:texts' });
  expect(await serviceOf(client).state('riverside-maple')).toEqual({ id: 'partnership-riverside-maple', by: 'query' });
  expect(asked.updates).toEqual([]);
});

test('a read update refused for another reason falls back to the query', async () => {
  const { client, asked } = fakeClient({ refusal: 'unknown' });
  expect(await serviceOf(client).state('riverside-maple')).toEqual({ id: 'partnership-riverside-maple', by: 'query' });
  expect(asked.updates).toHaveLength(1);
  expect(asked.queries).toHaveLength(1);
});

test('an ended partnership is queried: nothing waits in it', async () => {
  const { client, asked } = fakeClient({ status: 'COMPLETED' });
  expect(await serviceOf(client).state('riverside-maple')).toEqual({ id: 'partnership-riverside-maple', by: 'query' });
  expect(asked.updates).toEqual([]);
});

test('reads of one partnership at once share one update', async () => {
  const { client, asked, gate, release } = fakeClient();
  const service = serviceOf(client);
  await service.requireWorker(false);
  gate.hold = true;
  const reads = [service.listedState('riverside-maple'), service.listedState('riverside-maple'), service.listedState('riverside-maple')];
  await new Promise((resolve) => setImmediate(resolve));
  release();
  const answers = await Promise.all(reads);
  expect(answers).toEqual(answers.map(() => ({ id: 'partnership-riverside-maple', by: 'update' })));
  expect(asked.updates).toHaveLength(1);
  // Once answered, the next read asks again.
  gate.hold = false;
  await service.listedState('riverside-maple');
  expect(asked.updates).toHaveLength(2);
});

test('the agreement is read with its language', async () => {
  const { client, asked } = fakeClient();
  await serviceOf(client).agreement('riverside-maple', 'fr');
  expect(asked.updates).toEqual([{ what: 'agreement', language: 'fr' }]);
});
