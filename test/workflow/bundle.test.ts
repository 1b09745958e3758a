/**
 * The workflow bundle is loaded into every cached partnership's sandbox: what it carries is paid
 * per partnership in the worker's memory. It holds the lifecycle and the pure domain, and none of
 * the zod schemas (the API validates bodies in full; the workflow checks commands cheaply).
 */
import { createContext, runInContext } from 'node:vm';
import { workflowBundle } from '../helpers/worker-harness';

test('the workflow bundle carries no zod and stays small', async () => {
  const { code } = await workflowBundle();
  const modules = [...code.matchAll(/!\*\*\* (\.\/[^ ]+) \*\*\*!/g)].map((m) => m[1]!);
  expect(modules.some((m) => m.includes('workflows/partnership'))).toBe(true);
  expect(modules.some((m) => m.includes('domain/lifecycle/stages'))).toBe(true);
  expect(modules.filter((m) => m.includes('node_modules/zod'))).toEqual([]);
  expect(modules.filter((m) => m.includes('domain/schemas'))).toEqual([]);
  // Council calendars are expanded by the API: the workflow keeps dates, and none of these libraries.
  expect(modules.filter((m) => /node_modules\/(rrule|date-holidays|date-holidays-parser|ical\.js)\//.test(m))).toEqual([]);
  expect(modules.some((m) => m.includes('domain/meeting-calendar'))).toBe(true);
  // 4.7 MB with zod; the SDK's own runtime is most of what is left.
  expect(code.length).toBeLessThan(2_500_000);
}, 120_000);

/**
 * The SDK's reusable context evaluates a workflow's modules again for every partnership it
 * creates (a start, or one evicted from the cache and replayed), except those the bundle preloads
 * once per worker thread. Loaded here as the SDK loads it: the bundle once, then its preloads,
 * then the workflows as one partnership imports them, each module counted where it landed.
 */
test('the domain is loaded once per worker thread, not again for each partnership', async () => {
  const { code } = await workflowBundle();
  const shared = new Map<string | symbol, unknown>();
  const perWorkflow = new Map<string | symbol, unknown>();
  let preloaded = false;
  const moduleCache = new Proxy(
    {},
    {
      get: (_, id) => shared.get(id) ?? perWorkflow.get(id),
      set: (_, id, value) => {
        (preloaded ? perWorkflow : shared).set(id, value);
        return true;
      },
    },
  );
  const context = createContext({ __webpack_module_cache__: moduleCache, console });
  runInContext(code, context);
  runInContext('__TEMPORAL__.preloadModules()', context);
  preloaded = true;
  runInContext('__TEMPORAL__.importWorkflows()', context);
  const ids = (cache: Map<string | symbol, unknown>) => [...cache.keys()].map(String);
  expect(ids(shared).some((id) => id.includes('domain/lifecycle/stages'))).toBe(true);
  expect(ids(shared).some((id) => id.includes('@noble/hashes'))).toBe(true);
  // What each partnership evaluates anew: the workflow's own modules, nothing of the domain.
  expect(ids(perWorkflow).some((id) => id.includes('workflows/partnership'))).toBe(true);
  expect(ids(perWorkflow).filter((id) => /domain\/|node_modules\/@noble/.test(id))).toEqual([]);
}, 120_000);
