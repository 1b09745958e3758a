/**
 * PartnershipService.command (api/service.ts) on a client that records what it is asked.
 *
 * | case                                              | expects                                                           |
 * |---------------------------------------------------|-------------------------------------------------------------------|
 * | a command with accents, an emoji, a lone surrogate | update id `<name>:<requestId>:<fingerprint(command), 16 chars>`: |
 * |                                                   | the id an API before node:crypto's hash gave the same command     |
 * | requireWorker, then commands                      | DescribeTaskQueue asked once: a worker seen polling is known      |
 * |                                                   | without awaiting the cached answer again                          |
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
