/**
 * The workflow bundle is loaded into every cached partnership's sandbox: what it carries is paid
 * per partnership in the worker's memory. It holds the lifecycle and the pure domain, and none of
 * the zod schemas (the API validates bodies in full; the workflow checks commands cheaply).
 */
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
