import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the API, in a registry of their own (not prom-client's global one, so that
 * two apps in one process, as in the tests, do not share or collide):
 *
 * - `http_requests_total{method,route,status_code}`
 * - `http_request_duration_seconds{method,route,status_code}` (histogram)
 * - `http_request_errors_total{method,route,status_code}`: responses with a 5xx status
 * - the default process and Node.js metrics (`process_*`, `nodejs_*`)
 *
 * `route` is the matched route pattern (`/partnerships/:id`), never the requested path, which
 * carries partnership ids and would give one series per partnership. A request answered before
 * its route was reached (a 401 or 429 at the key check) is labelled by the documented route its
 * method and path fit (the OpenAPI paths, given to createMetrics), so that an operator sees which
 * endpoint is hammered; one that fits none is `unmatched`.
 */
export interface ApiMetrics {
  registry: Registry;
  /** Mount before the routes: it times every request and labels it when the response is done. */
  middleware: RequestHandler;
  /** `GET /metrics`: the registry in the Prometheus text format. */
  handler: RequestHandler;
}

const LABELS = ['method', 'route', 'status_code'] as const;

/** The pattern of the route that handled the request, with the mount path of its router. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || route.path === undefined) return 'unmatched';
  const path = typeof route.path === 'string' ? route.path : String(route.path);
  const joined = `${req.baseUrl ?? ''}${path === '/' && req.baseUrl ? '' : path}`;
  return joined === '' ? '/' : joined;
}

/** OpenAPI paths (`/partnerships/{id}`) and their methods, as the API documents them. */
export type DocumentedPaths = Record<string, Record<string, unknown>>;

/**
 * The documented route a method and path fit, as a route pattern (`/partnerships/:id`); fixed
 * segments before parameters, so that `/partnerships/{id}/notices/withdraw` is not taken for a
 * parameter.
 */
export function documentedRoutes(paths: DocumentedPaths): (method: string, path: string) => string | undefined {
  const routes = Object.entries(paths).map(([template, operations]) => {
    const segments = template.split('/');
    return {
      methods: new Set(Object.keys(operations).map((m) => m.toUpperCase())),
      segments,
      params: segments.filter((segment) => segment.startsWith('{')).length,
      label: segments.map((segment) => (segment.startsWith('{') ? `:${segment.slice(1, -1)}` : segment)).join('/'),
    };
  });
  routes.sort((a, b) => a.params - b.params);
  return (method, path) => {
    const given = path.split('/');
    if (given.length > 1 && given[given.length - 1] === '') given.pop(); // a trailing slash
    return routes.find(
      (r) =>
        r.methods.has(method) &&
        r.segments.length === given.length &&
        r.segments.every((segment, i) => (segment.startsWith('{') ? given[i] !== '' : segment === given[i])),
    )?.label;
  };
}

export function createMetrics(documented: DocumentedPaths = {}): ApiMetrics {
  const registry = new Registry();
  const documentedRoute = documentedRoutes(documented);
  // The route that answered; else, for a request refused before it (a 401 at the key check), the documented route it was for.
  const labelOf = (req: Request): string => {
    const matched = routeLabel(req);
    return matched === 'unmatched' ? (documentedRoute(req.method, req.originalUrl.split('?')[0]!) ?? matched) : matched;
  };
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered by the API, by method, route pattern and status code.',
    labelNames: LABELS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_request_errors_total',
    help: 'HTTP requests answered with a 5xx status, by method, route pattern and status code.',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request reaching the API to its response being handed to the network.',
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (aborted: boolean) => {
      if (recorded) return;
      recorded = true;
      const labels = {
        method: req.method,
        route: labelOf(req),
        // A client that hung up before the response was sent gets no status of its own.
        status_code: aborted ? 'aborted' : String(res.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (!aborted && res.statusCode >= 500) errors.inc(labels);
    };
    res.once('finish', () => record(false));
    res.once('close', () => record(!res.writableFinished));
    next();
  };

  const handler: RequestHandler = async (_req, res) => {
    const body = await registry.metrics();
    res.set('Content-Type', registry.contentType).send(body);
  };

  return { registry, middleware, handler };
}
