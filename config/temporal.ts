import { readFileSync } from 'node:fs';
import type { Env } from './env';

/** Connection options shared by the worker and the API: local dev server, a cluster with mTLS, or Temporal Cloud. */
export function connectionOptions(env: Env) {
  const tls =
    env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) } }
      : env.TEMPORAL_API_KEY
        ? true
        : undefined;
  return {
    address: env.TEMPORAL_ADDRESS,
    ...(tls ? { tls } : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY, metadata: { 'temporal-namespace': env.TEMPORAL_NAMESPACE } } : {}),
  };
}
