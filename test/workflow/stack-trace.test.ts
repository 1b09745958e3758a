/**
 * The SDK takes a stack trace for every promise a workflow creates, to answer the call-stack
 * query (the Temporal UI's "Stack Trace"); the worker keeps those short (WORKFLOW_STACK_FRAMES)
 * because they were a third of the workflow thread's time. The query must still tell an operator
 * where a partnership waits, in its TypeScript source.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { commandUpdate } from '../../workflows/messages';
import { WORKFLOW_STACK_FRAMES } from '../../worker/workflow-bundle';
import { startRequest, requestId } from '../helpers/fixtures';
import { startPartnership, useTimeSkippingStack, type Harness } from '../helpers/worker-harness';

interface EnhancedStackTrace {
  stacks: Array<{ locations: Array<{ file_path?: string; function_name?: string; line?: number }> }>;
}

let env: TestWorkflowEnvironment;
let h: Harness;

useTimeSkippingStack((stack) => ({ env, h } = stack));

test('the call-stack query names where a partnership waits, in its source, with short stacks', async () => {
  const handle = await startPartnership({ env, h }, { id: 'stack-trace', request: startRequest() });
  await handle.executeUpdate(commandUpdate('recordIntakeDecision'), {
    args: [{ actor: { role: 'coordinator' }, command: { requestId: requestId(), accepted: true, interviewedOn: '2026-01-15' } }],
  });

  const plain = await handle.query<string>('__stack_trace');
  // Waiting for the stage's next step (its reminders' timer), and for the outbox's next email.
  expect(plain).toMatch(/at waitForStage \(.*workflows\/partnership\.ts:\d+:\d+\)/);
  expect(plain).toMatch(/at deliverOutbox \(.*workflows\/partnership\.ts:\d+:\d+\)/);

  const { stacks } = await handle.query<EnhancedStackTrace>('__enhanced_stack_trace');
  expect(stacks.length).toBeGreaterThan(1);
  // Two of the frames taken are the SDK's promise hook, which it cuts off.
  for (const { locations } of stacks) expect(locations.length).toBeLessThanOrEqual(WORKFLOW_STACK_FRAMES - 2);
  expect(stacks.flatMap((s) => s.locations).filter((l) => l.file_path?.endsWith('workflows/partnership.ts') && l.line! > 0).length).toBeGreaterThan(1);
}, 120_000);
