/**
 * PartnershipService.command (api/service.ts) on a client that records what it is asked.
 *
 * | case                                              | expects                                                           |
 * |---------------------------------------------------|-------------------------------------------------------------------|
 * | a command with accents, an emoji, a lone surrogate | update id `<name>:<requestId>:<fingerprint(command), 16 chars>`: |
 * |                                                   | the id an API before node:crypto's hash gave the same command     |
 * | workerChecked                                     | DescribeTaskQueue not asked again; asked without it               |
 * | workerKnownPolling                                | false until a worker was seen, true while that answer is fresh    |
 */
import type { Client } from '@temporalio/client';
import type { WorkflowCommand } from '../../domain';
import { fingerprint } from '../../domain/fingerprint';
import { PartnershipService } from '../../api/service';

function recordingClient() {
  const updates: Array<{ updateId?: string }> = [];
  const calls = { describeTaskQueue: 0 };
  const client = {
    workflow: {
      getHandle: () => ({
        executeUpdate: async (_update: unknown, options: { updateId?: string }) => {
          updates.push(options);
          return { requestId: 'r', command: 'recordReview', state: {} };
        },
      }),
    },
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

  test('a caller that has made sure a worker polls spares it the question', async () => {
    const { client, calls } = recordingClient();
    const service = new PartnershipService({ client, namespace: 'default', taskQueue: 'entente', pageTokenSecret: 'secret' });
    expect(service.workerKnownPolling()).toBe(false);
    await service.command('riverside-maple', 'recordReview', { role: 'coordinator' }, command, true);
    expect(calls.describeTaskQueue).toBe(0);
    await service.command('riverside-maple', 'recordReview', { role: 'coordinator' }, command);
    expect(calls.describeTaskQueue).toBe(1);
    expect(service.workerKnownPolling()).toBe(true);
  });
});
