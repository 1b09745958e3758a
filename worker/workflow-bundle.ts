import { join } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * The pure code the workflow imports, loaded once per worker thread and shared by every
 * partnership instead of evaluated again for each one the worker creates (a fresh start, or one
 * evicted from the cache and replayed). The SDK deep-freezes what these modules export; they keep
 * no state of a partnership and call no workflow API.
 */
const SHARED_MODULES = [
  '../domain/agreement/from-state',
  '../domain/command-catalogue',
  '../domain/command-rules',
  '../domain/command-shape',
  '../domain/deadlines',
  '../domain/fingerprint',
  '../domain/lifecycle',
  '../domain/stages',
  '../domain/state',
  '../domain/view',
].map((m) => require.resolve(m));

/** Written by `npm run build` next to the compiled worker (scripts/bundle-workflows.ts). */
export const PREBUILT_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

/**
 * Frames in a stack trace taken inside the workflow sandbox. The SDK takes one for every promise
 * a workflow creates (for the call-stack query), some 30 a command, and at V8's default of 10
 * frames they were a third of the workflow thread's time. Two of the frames are the SDK's own
 * hook: the call-stack query still shows where each wait began and what called it, and an error
 * in workflow code still shows where it was thrown and up to three calls before.
 */
export const WORKFLOW_STACK_FRAMES = 4;

/**
 * The limit is set where the bundle begins: the SDK runs that script once per worker thread,
 * before it freezes the sandbox's globals, and loads each partnership's modules after. Put on
 * the bundle's first line, with no line break, so that the source map's lines still match.
 */
const withStackFrames = (code: string): string => `Error.stackTraceLimit = ${WORKFLOW_STACK_FRAMES};${code}`;

/** The workflows as every Entente worker runs them: the build's prebuilt bundle, the tests' and a worker's from sources alike. */
export async function bundleEntenteWorkflows(logger?: BundleOptions['logger']): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: SHARED_MODULES, ...(logger ? { logger } : {}) });
  return { code: withStackFrames(code) };
}
