import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError } from '../../config/codec';
import type { RegisterDb } from '../../store';
import { bearerAuth } from '../auth';
import { Problem } from '../problem';
import { parse, requireCoordinator } from '../requests';

export interface CodecRoutesDeps {
  codec: PayloadCodec;
  coordinatorApiKey: string;
  db: RegisterDb;
  /** The Temporal web UI's origin (`TEMPORAL_UI_ORIGIN`), the only one a browser may call from; none when unset. */
  uiOrigin?: string;
  /** The API's limit on failed sign-ins (api/auth.ts), shared, so that /codec is no way around it. */
  signInLimit?: RequestHandler;
}

/** A payload as the remote codec protocol carries it: metadata values and data in base64. */
const WirePayload = z.object({
  metadata: z.record(z.string(), z.base64()).optional(),
  data: z.base64().optional(),
});
// Protobuf's JSON leaves an empty list out: the CLI encodes a query's missing arguments as `{}`.
export const WireBody = z.object({ payloads: z.array(WirePayload).max(10_000).default([]) });
type WirePayload = z.infer<typeof WirePayload>;

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Temporal's remote codec protocol (`POST /codec/encode`, `POST /codec/decode`), so that the
 * Temporal web UI or `temporal workflow show --codec-endpoint … --codec-auth "Bearer <key>"` shows
 * a coordinator the payloads in clear. Decoded payloads hold personal data: the coordinator's key
 * only, and browsers only from the Temporal UI's origin.
 */
export function codecRoutes(deps: CodecRoutesDeps): Router {
  const router = express.Router();
  const limit: RequestHandler = deps.signInLimit ?? ((_req, _res, next) => next());
  // The key before the body: nobody without it makes the API parse megabytes. A history's
  // payloads together can outgrow the 256 kB the API takes for a command.
  router.use('/codec', uiOriginOnly(deps.uiOrigin), limit, bearerAuth(deps.coordinatorApiKey, deps.db), express.json({ limit: '8mb' }));

  const route = (path: string, apply: (payloads: Payload[]) => Promise<Payload[]>) =>
    router.post(path, async (req, res) => {
      requireCoordinator(req);
      const body = parse(WireBody, req.body, 'The body is not a list of payloads');
      let result: Payload[];
      try {
        result = await apply(body.payloads.map(fromWire));
      } catch (err) {
        if (err instanceof PayloadDecryptionError) throw new Problem(422, 'A payload cannot be decrypted', err.message);
        throw err;
      }
      res.json({ payloads: result.map(toWire) });
    });
  route('/codec/encode', (payloads) => deps.codec.encode(payloads));
  route('/codec/decode', (payloads) => deps.codec.decode(payloads));
  return router;
}

/**
 * CORS for the Temporal UI's origin alone. The preflight carries no credentials, so it is answered
 * here, before authentication; a browser request from any other origin is refused outright.
 */
function uiOriginOnly(uiOrigin: string | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined) {
      // Not a browser's cross-origin call (the temporal CLI, a script): the key decides.
      if (req.method === 'OPTIONS') return void res.set('allow', 'POST, OPTIONS').status(204).end();
      return next();
    }
    if (uiOrigin === undefined || origin !== uiOrigin) {
      return next(new Problem(403, 'Origin not allowed', 'Only the configured Temporal UI (TEMPORAL_UI_ORIGIN) may call the codec endpoint from a browser.'));
    }
    res.set({ 'access-control-allow-origin': uiOrigin, 'access-control-allow-credentials': 'true' });
    if (req.method === 'OPTIONS') {
      res
        .set({
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'Authorization, Content-Type, X-Namespace',
          'access-control-max-age': '600',
        })
        .status(204)
        .end();
      return;
    }
    next();
  };
}
