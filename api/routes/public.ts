import { join } from 'node:path';
import express, { type Router } from 'express';
import { sql } from 'kysely';
import type { RegisterDb } from '../../store';
import { loadEnv, publicUrl } from '../../config/env';
import { LABELS } from '../../domain/labels';
import { openApiDocument } from '../openapi';
import type { PartnershipService } from '../service';
import type { Workers } from '../workers';

const SWAGGER_UI = join(require.resolve('swagger-ui-dist/package.json'), '..');
/** The web page: static files beside the compiled API (copied there by `npm run build`). */
const PUBLIC = join(__dirname, '..', 'public');

/** What anyone may read without a key: health, the API's reference, the web page. */
export function publicRoutes(deps: { service: PartnershipService; db: RegisterDb; publicUrl?: string }): Router {
  const router = express.Router();

  router.get('/healthz', async (_req, res) => {
    const [temporal, database, polling] = await Promise.all([
      deps.service.temporalStatus(),
      sql`select 1`
        .execute(deps.db)
        .then(() => 'ok')
        .catch(() => 'unreachable'),
      // 'unknown' when Temporal cannot say (unreachable, or a server without DescribeTaskQueue).
      deps.service.workers().catch((): Workers | 'unknown' => 'unknown'),
    ]);
    const ok = temporal === 'ok' && database === 'ok' && polling !== 'none';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', temporal, database, workers: polling });
  });

  // From PUBLIC_URL, never the request's Host header, which anyone can set.
  let document: ReturnType<typeof openApiDocument> | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= openApiDocument(deps.publicUrl ?? publicUrl(loadEnv({})));
    res.json(document);
  });
  // The one source of the page's words, French and English (domain/labels.ts); the same the emails use.
  router.get('/labels.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(LABELS);
  });
  // The API's reference, served from the swagger-ui-dist package (no CDN, no inline script).
  router.use('/docs/assets', express.static(SWAGGER_UI, { index: false }));
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });\n");
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.use(express.static(PUBLIC, { index: 'index.html', redirect: false }));
  // Browsers ask for it on every page; without this it would reach the API and answer 401.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  return router;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Entente API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;
