/**
 * The test stacks' setup (test/helpers/worker-harness.ts): a server started for a suite is torn
 * down when what comes after it fails, so that a failed setup leaves no Java test server or dev
 * server running after jest (four were left by one failed run before).
 */
import { tornDownOnFailure } from '../helpers/worker-harness';

const server = () => {
  const torn: string[] = [];
  return { torn, env: { teardown: async () => void torn.push('teardown') } };
};

test('a setup that fails tears the server down and fails with its own error', async () => {
  const { torn, env } = server();
  await expect(
    tornDownOnFailure(env, async () => {
      throw new Error('no poller seen on test-queue within 30 s');
    }),
  ).rejects.toThrow('no poller seen');
  expect(torn).toEqual(['teardown']);
});

test('a setup that succeeds leaves the server to the suite', async () => {
  const { torn, env } = server();
  await expect(tornDownOnFailure(env, async () => 'harness')).resolves.toBe('harness');
  expect(torn).toEqual([]);
});

test('a teardown that fails in turn does not hide the setup error', async () => {
  const env = { teardown: () => Promise.reject(new Error('already gone')) };
  await expect(
    tornDownOnFailure(env, async () => {
      throw new Error('the worker did not start');
    }),
  ).rejects.toThrow('the worker did not start');
});
