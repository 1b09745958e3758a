import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { CommandName } from '../../domain';
import type { CommandInput } from '../../workflows/messages';

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Every run of a workflow, first to last, following continue-as-new: the test server has no
 * visibility to list them, so the chain is read from each run's last event.
 */
export async function runHistories(client: Client, workflowId: string, firstRunId: string): Promise<temporal.api.history.v1.IHistory[]> {
  const runs: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(history);
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** What a run that continued as new passed to the next one, decoded as the worker reads it. */
/**
 * The argument of every command update a workflow accepted, over all its runs, as the client sent
 * it (plain JSON: for a client and worker without the payload codec).
 */
export async function acceptedCommandInputs(client: Client, workflowId: string): Promise<Array<CommandInput<CommandName>>> {
  const handle = client.workflow.getHandle(workflowId);
  const runs = await runHistories(client, workflowId, (await handle.describe()).raw.workflowExecutionInfo!.firstRunId!);
  return runs
    .flatMap((run) => run.events ?? [])
    .flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [])
    .map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8')) as CommandInput<CommandName>);
}

export async function handedOver<T>(client: Client, run: temporal.api.history.v1.IHistory): Promise<T> {
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  let plain = run.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0]!;
  for (const codec of [...payloadCodecs].reverse()) plain = (await codec.decode([plain]))[0]!;
  return payloadConverter.fromPayload<T>(plain);
}

/** Saves the first run's history when SAVE_HISTORIES is set: the fixtures of the replay test. */
export async function maybeSaveHistory(name: string, client: Client, handle: WorkflowHandle, firstRunId: string): Promise<void> {
  if (!process.env.SAVE_HISTORIES) return;
  const history = await client.workflow.getHandle(handle.workflowId, firstRunId).fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  // Binary protobuf: exact, and free of the JSON converters' dependence on one protobufjs copy.
  writeFileSync(join(HISTORIES_DIR, `${name}.pb`), temporal.api.history.v1.History.encode(history).finish());
}

export function loadHistory(name: string): temporal.api.history.v1.IHistory {
  const file = join(HISTORIES_DIR, `${name}.pb`);
  if (!existsSync(file)) throw new Error(`missing history fixture ${file}: run SAVE_HISTORIES=1 npx jest test/workflow/lifecycle`);
  return temporal.api.history.v1.History.decode(readFileSync(file));
}
