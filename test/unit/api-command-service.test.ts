/**
 * PartnershipService.command (api/service.ts) on a client that records what it is asked.
 *
 * | case                                              | expects                                                           |
 * |---------------------------------------------------|-------------------------------------------------------------------|
 * | a command with accents, an emoji, a lone surrogate | update id `<name>:<requestId>:<fingerprint(command), 16 chars>`: |
 * |                                                   | the id an API before node:crypto's hash gave the same command     |
 * | requireWorker, then commands                      | DescribeTaskQueue asked once: a worker seen polling is known      |
 * |                                                   | without awaiting the cached answer again                          |
 * | the update's result, as the workflow writes it    | the result, and the state's JSON cut from the payload as it is    |
 * | a result in another key order, or for another     | converted as any payload: the same result and state               |
 * | request or command                                |                                                                   |
 * | an update never answered; the worker gone meanwhile| NotAnswered worker-stopped within a watch or two; the call aborted |
 * | an update never answered; the worker polling      | NotAnswered timeout after the API's wait; the call aborted        |
 * | given up, but the update was applied meanwhile     | answered as applied (the update's outcome, asked by its id)       |
 */
import type { Client } from '@temporalio/client';
import { RawValue, defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowCommand } from '../../domain';
import { fingerprint } from '../../domain/fingerprint';
import { PartnershipService, WORKER_WATCH_MS, commandOutcome } from '../../api/service';
import { NotAnswered } from '../../api/errors';

function recordingClient() {
  const updates: Array<{ updateId?: string }> = [];
  const calls = { describeTaskQueue: 0 };
  const client = {
    workflow: {
      getHandle: () => ({
        // As the client answers an update whose result is a RawValue: the payload, not converted.
        executeUpdate: async (_update: unknown, options: { updateId?: string; args: Array<{ command: { requestId: string } }> }) => {
          updates.push(options);
          return new RawValue({ requestId: options.args[0]!.command.requestId, command: 'recordReview', state: { stage: 'in-force' } });
        },
      }),
    },
    options: { loadedDataConverter: { payloadConverter: defaultPayloadConverter } },
    withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn(),
    workflowService: {
      describeTaskQueue: async () => {
        calls.describeTaskQueue++;
        return { pollers: [{ lastAccessTime: { seconds: Date.now() / 1000, nanos: 0 } }] };
      },
    },
  } as unknown as Client;
  return { client, updates, calls };
}

describe('PartnershipService.command', () => {
  const command = {
    requestId: 'review-2026-06-01',
    heldOn: '2026-06-01',
    findings: { sha256: 'a'.repeat(64), size: 30, excerpt: 'Économies réalisées 🌊 \ud800' },
  } as unknown as WorkflowCommand<'recordReview'>;

  test("the update id carries the command's fingerprint, as before", async () => {
    const { client, updates } = recordingClient();
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret' });
    await service.command('riverside-maple', 'recordReview', { role: 'coordinator' }, command);
    expect(updates[0]!.updateId).toBe(`recordReview:review-2026-06-01:${fingerprint(command).slice(0, 16)}`);
  });

  test('a worker seen polling is not asked about again for the commands that follow', async () => {
    const { client, calls, updates } = recordingClient();
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret' });
    expect(service.workers.known()).toBeUndefined();
    await service.requireWorker(true);
    expect(calls.describeTaskQueue).toBe(1);
    expect(service.workers.known()).toBe('polling');
    await service.command('riverside-maple', 'recordReview', { role: 'coordinator' }, command);
    await service.command('riverside-maple', 'recordReview', { role: 'coordinator' }, command);
    expect(calls.describeTaskQueue).toBe(1);
    expect(updates).toHaveLength(2);
  });
});

describe('a command never answered', () => {
  /** A client whose updates hang until aborted, as Temporal holds one that no worker takes. */
  function hangingClient(polling: () => boolean, appliedMeanwhile = false) {
    const aborted: string[] = [];
    const asked: string[] = [];
    const client = {
      workflow: {
        getHandle: () => ({
          executeUpdate: () => new Promise(() => undefined),
          // What Temporal says of the update once the API gave up: applied, or not (yet).
          getUpdateHandle: (updateId: string) => ({
            result: () => {
              asked.push(updateId);
              return appliedMeanwhile
                ? Promise.resolve(new RawValue({ requestId: 'milestone-1', command: 'recordMilestone', state: { stage: 'groundwork' } }))
                : Promise.reject(Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 }));
            },
          }),
        }),
      },
      withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
      options: { loadedDataConverter: { payloadConverter: defaultPayloadConverter } },
      withAbortSignal: (signal: AbortSignal, fn: () => Promise<unknown>) =>
        Promise.race([
          fn(),
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              aborted.push('update');
              reject(Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }));
            }),
          ),
        ]),
      workflowService: {
        describeTaskQueue: async () => ({ pollers: polling() ? [{ lastAccessTime: { seconds: Date.now() / 1000, nanos: 0 } }] : [] }),
      },
    } as unknown as Client;
    return { client, aborted, asked };
  }
  const command = { requestId: 'milestone-1', milestone: 'groundwork' } as unknown as WorkflowCommand<'recordMilestone'>;

  test('the worker gone meanwhile: NotAnswered (worker-stopped) once the API sees it, and the call is given up', async () => {
    let polling = true;
    const { client, aborted } = hangingClient(() => polling);
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret', answerTimeoutMs: 60_000 });
    const started = Date.now();
    const answer = service.command('riverside-maple', 'recordMilestone', { role: 'coordinator' }, command).catch((err: unknown) => err);
    polling = false;
    const err = await answer;
    expect(err).toBeInstanceOf(NotAnswered);
    expect(err).toMatchObject({ why: 'worker-stopped', command: true });
    expect((err as Error).message).toMatch(/may still be applied.*same requestId/);
    expect(aborted).toEqual(['update']);
    // Within a few watches (the cached "polling" lasts 2 s), far from the minute-long wait.
    expect(Date.now() - started).toBeLessThan(2_000 + 3 * WORKER_WATCH_MS);
  });

  test('given up as the worker stopped, but the update was applied meanwhile: the command answers as applied, not 503', async () => {
    let polling = true;
    const { client, aborted, asked } = hangingClient(() => polling, true);
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret', answerTimeoutMs: 60_000 });
    const answer = service.command('riverside-maple', 'recordMilestone', { role: 'coordinator' }, command);
    polling = false;
    const outcome = await answer;
    expect(outcome.result).toEqual({ requestId: 'milestone-1', command: 'recordMilestone' });
    expect(JSON.parse(Buffer.from(outcome.stateJson).toString('utf8'))).toEqual({ stage: 'groundwork' });
    expect(aborted).toEqual(['update']);
    expect(asked).toEqual([`recordMilestone:milestone-1:${fingerprint(command).slice(0, 16)}`]);
  });

  test('the worker still polling: NotAnswered (timeout) after the API’s wait, the call given up', async () => {
    const { client, aborted } = hangingClient(() => true);
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret', answerTimeoutMs: 300 });
    const err = await service.command('riverside-maple', 'recordMilestone', { role: 'coordinator' }, command).catch((e: unknown) => e);
    expect(err).toMatchObject({ why: 'timeout', command: true });
    expect((err as Error).message).toMatch(/^The partnership did not answer within 0.3 s .*same requestId/);
    expect(aborted).toEqual(['update']);
  });
});

describe('commandOutcome', () => {
  const convert = (payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) => defaultPayloadConverter.fromPayload(payload);
  // Texts outside ASCII and a lone surrogate, which JSON writes as an escape.
  const state = {
    id: 'riverside-maple',
    stage: 'in-force',
    reviews: [{ findings: 'Économies réalisées 🌊 \ud800' }],
    requestsRememberedSince: '2026-06-01T00:00:00.000Z',
  };
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

  test("the state's JSON is cut from the payload as the workflow wrote it", () => {
    const payload = new RawValue({ requestId: 'review-1', command: 'recordReview', state }).payload;
    const outcome = commandOutcome(payload, 'review-1', 'recordReview', () => {
      throw new Error('not converted');
    });
    expect(outcome.result).toEqual({ requestId: 'review-1', command: 'recordReview' });
    expect(Object.keys(outcome.result)).toEqual(['requestId', 'command']);
    expect(text(outcome.stateJson)).toBe(JSON.stringify(state));
  });

  test('a result in another key order, or for another request or command, is converted as any payload', () => {
    const others = [
      new RawValue({ command: 'recordReview', requestId: 'review-1', state }).payload,
      new RawValue({ requestId: 'review-2', command: 'recordReview', state }).payload,
      new RawValue({ requestId: 'review-1', command: 'sign', state }).payload,
    ];
    const [reordered, otherRequest, otherCommand] = others.map((p) => {
      let converted = 0;
      const outcome = commandOutcome(p, 'review-1', 'recordReview', (payload) => (converted++, convert(payload)));
      return { outcome, converted };
    });
    expect(reordered!.converted).toBe(1);
    expect(reordered!.outcome.result).toEqual({ requestId: 'review-1', command: 'recordReview' });
    expect(JSON.parse(text(reordered!.outcome.stateJson))).toEqual(state);
    expect(otherRequest!.converted).toBe(1);
    expect(otherRequest!.outcome.result.requestId).toBe('review-2');
    expect(otherCommand!.converted).toBe(1);
    expect(otherCommand!.outcome.result.command).toBe('sign');
  });
});
