/**
 * What the API answers when Temporal refuses a request (api/service.ts's `translate`, then
 * api/problem.ts's `problemOf`), for the gRPC errors the client wraps in a ServiceError.
 *
 * | Temporal answered (after the API's own attempts)                          | the API answers                    |
 * |----------------------------------------------------------------------------|------------------------------------|
 * | FAILED_PRECONDITION "… due to unexpected workflow task failure"            | 503 The partnership is busy        |
 * | RESOURCE_EXHAUSTED "… workflow is closing"                                 | 503 The partnership is busy        |
 * | FAILED_PRECONDITION "Workflow Task in failed state"                        | 503 The partnership is failing     |
 * | UNAVAILABLE                                                                | 503 Temporal is unreachable        |
 * | RESOURCE_EXHAUSTED for another reason (a rate limit)                       | no problem of its own (500)        |
 */
import { ServiceError } from '@temporalio/client';
import { translate } from '../../api/service';
import { problemOf } from '../../api/problem';

const grpc = (code: number, details: string) =>
  new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`${code} ${details}`), { code, details }) });

const answered = (err: unknown) => {
  const problem = problemOf(translate(err, 'riverside-maple-water'));
  return problem ? { status: problem.status, title: problem.title } : 'none';
};

test.each([
  [
    'a workflow task failure meanwhile',
    grpc(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.'),
    { status: 503, title: 'The partnership is busy' },
  ],
  ['a run handing over', grpc(8, 'workflow operation can not be applied because workflow is closing'), { status: 503, title: 'The partnership is busy' }],
  ['a workflow task that keeps failing', grpc(9, 'Workflow Task in failed state.'), { status: 503, title: 'The partnership is failing' }],
  ['Temporal unreachable', grpc(14, 'connection refused'), { status: 503, title: 'Temporal is unreachable' }],
  ['a rate limit', grpc(8, 'namespace rate limit exceeded'), 'none'],
])('%s', (_case, err, expected) => {
  expect(answered(err)).toEqual(expected);
});

test('a busy partnership is told to try again, and that nothing was applied, without naming it', () => {
  const problem = problemOf(
    translate(grpc(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.'), 'riverside-maple-water'),
  )!;
  expect(problem.detail).toMatch(/nothing sent was applied/);
  expect(problem.detail).toMatch(/again/);
  expect(problem.detail).not.toContain('riverside');
});
