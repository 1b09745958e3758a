import type { Client } from '@temporalio/client';

/**
 * An in-memory stand-in for Temporal's SQL visibility store, for unit tests of the API's listings:
 * it evaluates the queries they send (comparisons of a status, a type or a time, a list of
 * workflow ids, AND, OR, parentheses) and orders and pages as the SQL store does: running runs
 * first, newest start first, then closed ones, latest closed first; a page token is the last
 * row's place (keyset), so a run that moves (it closes) moves in the listing, as it does in
 * Temporal's.
 */
export interface VisibilityRun {
  workflowId: string;
  runId: string;
  /** Nanoseconds since the epoch. */
  start: bigint;
  close?: bigint;
  status: 'Running' | 'ContinuedAsNew' | 'Completed' | 'Terminated';
}

export const SECOND = 1_000_000_000n;

/** An RFC 3339 instant in nanoseconds. */
export function nanos(iso: string): bigint {
  const [whole = '', fraction = ''] = iso.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

/** `text` split on `separator` outside parentheses. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(from, i));
      from = i + separator.length;
    }
  }
  return [...parts, text.slice(from)];
}

function matches(run: VisibilityRun, query: string): boolean {
  const ands = splitTop(query.trim(), ' AND ');
  if (ands.length > 1) return ands.every((part) => matches(run, part));
  const ors = splitTop(query.trim(), ' OR ');
  if (ors.length > 1) return ors.some((part) => matches(run, part));
  const inner = /^\((.*)\)$/.exec(query.trim());
  if (inner) return matches(run, inner[1]!);
  const listed = /^WorkflowId IN \((.*)\)$/.exec(query.trim());
  if (listed) return listed[1]!.split(', ').includes(`'${run.workflowId}'`);
  const [, field, op, value] = /^(\w+) (=|!=|<=|>=|<|>) '([^']*)'$/.exec(query.trim()) ?? [];
  if (!field || !op || value === undefined) throw new Error(`clause not understood: ${query}`);
  if (field === 'WorkflowType') return value === 'partnershipWorkflow';
  if (field === 'ExecutionStatus') return op === '=' ? run.status === value : run.status !== value;
  const time = field === 'StartTime' ? run.start : field === 'CloseTime' ? run.close : undefined;
  if (time === undefined) return false; // a running run's CloseTime compares as SQL's NULL
  const given = nanos(value);
  return { '=': time === given, '!=': time !== given, '<=': time <= given, '>=': time >= given, '<': time < given, '>': time > given }[op]!;
}

const END_OF_TIME = 2n ** 80n;
type Key = [bigint, bigint, string];
const keyOf = (run: VisibilityRun): Key => [run.close ?? END_OF_TIME, run.start, run.runId];
/** Descending by close (running first), then start, then run id. */
const compare = (a: Key, b: Key): number => (a[0] !== b[0] ? (a[0] > b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] > b[1] ? -1 : 1) : b[2].localeCompare(a[2]));

/** A client whose `workflowService.listWorkflowExecutions` answers from `runs` (read at each call); `onList` runs before each answer. */
export function visibilityStore(runs: VisibilityRun[], onList: (call: number) => void = () => undefined): Client {
  let calls = 0;
  return {
    workflowService: {
      async listWorkflowExecutions(request: { query: string; pageSize: number; nextPageToken?: Uint8Array }) {
        onList(++calls);
        const after = request.nextPageToken?.length
          ? (JSON.parse(Buffer.from(request.nextPageToken).toString(), (_k, v: unknown) =>
              typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
            ) as Key)
          : undefined;
        const listed = runs
          .filter((run) => matches(run, request.query))
          .sort((a, b) => compare(keyOf(a), keyOf(b)))
          .filter((run) => !after || compare(keyOf(run), after) > 0);
        const page = listed.slice(0, request.pageSize);
        const last = page[page.length - 1];
        return {
          executions: page.map((run) => ({
            execution: { workflowId: run.workflowId, runId: run.runId },
            startTime: { seconds: Number(run.start / SECOND), nanos: Number(run.start % SECOND) },
          })),
          // As Temporal: a token after a full page, whether or not more follow.
          nextPageToken:
            last && page.length === request.pageSize
              ? Buffer.from(JSON.stringify(keyOf(last), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)))
              : new Uint8Array(),
        };
      },
    },
  } as unknown as Client;
}
