/**
 * Scenarios on the time-skipping test server, with a real worker, SMTP receiver and register:
 *
 * | scenario                                          | asserts                                              |
 * |---------------------------------------------------|------------------------------------------------------|
 * | intake accepted                                   | clerk and champion of each party asked at once       |
 * | one party resolves, the other does not            | no reminder at day 13, one at day 14, only to it    |
 * | third reminder                                    | the coordinator is told once (escalation)           |
 * | last resolution                                   | the process moves on to groundwork, timers stop     |
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decisionsOf } from '../../store/decisions';
import { commandUpdate, stateQuery } from '../../workflows/messages';
import { startRequest, requestId } from '../helpers/fixtures';
import { startPartnership, useTimeSkippingStack, type Harness } from '../helpers/worker-harness';

const coordinator = { role: 'coordinator' as const };
let env: TestWorkflowEnvironment;
let h: Harness;

useTimeSkippingStack((stack) => ({ env, h } = stack));

test('a missing participation resolution is reminded every 14 days, and escalated after the third', async () => {
  const id = 'reminders';
  const handle = await startPartnership({ env, h }, { id, request: startRequest() });

  const accepted = await handle.executeUpdate(commandUpdate('recordIntakeDecision'), {
    args: [{ actor: coordinator, command: { requestId: requestId(), accepted: true, interviewedOn: '2026-01-15' } }],
  });
  expect(accepted.command).toBe('recordIntakeDecision');
  expect((await handle.query(stateQuery)).stage).toBe('commitment');

  // At once: the clerk and the champion of each party are asked for their resolution.
  await h.smtp.waitFor((m) => m.filter((x) => x.event === 'resolution-requested').length === 4);
  for (const address of ['clerk@riverside.example', 'champion@riverside.example', 'greffe@maple.example', 'championne@maple.example']) {
    expect(h.smtp.to(address).filter((m) => m.event === 'resolution-requested')).toHaveLength(1);
  }
  // Each in its own language: Maple reads French.
  expect(h.smtp.to('greffe@maple.example')[0]!.subject).toContain('Résolution demandée à Maple First Nation');
  expect(h.smtp.to('clerk@riverside.example').find((m) => m.event === 'resolution-requested')!.subject).toContain(
    'Resolution requested from Town of Riverside',
  );

  await handle.executeUpdate(commandUpdate('recordResolution'), {
    args: [
      {
        actor: { role: 'clerk', partyId: 'riverside' },
        command: {
          requestId: requestId(),
          partyId: 'riverside',
          subject: 'participation',
          outcome: 'adopted',
          resolutionNumber: '2026-041',
          adoptedOn: '2026-02-03',
        },
      },
    ],
  });

  const reminders = () => h.smtp.messages.filter((m) => m.event === 'resolution-reminder');
  await env.sleep('13 days');
  const atDay13 = await handle.query(stateQuery);
  expect(atDay13.timeline.filter((t) => t.event === 'resolution-reminder')).toHaveLength(0);
  expect(reminders()).toHaveLength(0);
  expect(atDay13.pendingActions).toEqual([expect.objectContaining({ what: 'participation-resolution', partyId: 'maple' })]);

  await env.sleep('1 day');
  await h.smtp.waitFor(() => reminders().length === 2);
  expect(
    reminders()
      .flatMap((m) => m.to)
      .sort(),
  ).toEqual(['championne@maple.example', 'greffe@maple.example']);
  expect(reminders()[0]!.subject).toContain('Rappel 1');
  const rows = await decisionsOf(h.db, id);
  expect(rows.filter((r) => r.kind === 'resolution-reminder')).toEqual([
    expect.objectContaining({ partyId: 'maple', actor: 'timer', payload: expect.objectContaining({ count: 1 }) }),
  ]);

  // Reminders 2 and 3; the third also tells the coordinator, once.
  await env.sleep('14 days');
  await h.smtp.waitFor(() => reminders().length === 4);
  expect(h.smtp.messages.filter((m) => m.event === 'resolution-escalation')).toHaveLength(0);
  await env.sleep('14 days');
  await h.smtp.waitFor((m) => m.some((x) => x.event === 'resolution-escalation'));
  expect(reminders()).toHaveLength(6);
  const escalations = h.smtp.messages.filter((m) => m.event === 'resolution-escalation');
  expect(escalations).toHaveLength(1);
  expect(escalations[0]!.to).toEqual(['coordination@example.org']);

  await handle.executeUpdate(commandUpdate('recordResolution'), {
    args: [
      {
        actor: { role: 'clerk', partyId: 'maple' },
        command: {
          requestId: requestId(),
          partyId: 'maple',
          subject: 'participation',
          outcome: 'adopted',
          resolutionNumber: 'BCR-17',
          adoptedOn: '2026-03-20',
        },
      },
    ],
  });
  await h.smtp.waitFor((m) => m.filter((x) => x.event === 'commitment-complete').length === 3);
  const after = await handle.query(stateQuery);
  expect(after.stage).toBe('groundwork');
  expect(after.nextTimers).toEqual([]);
});
