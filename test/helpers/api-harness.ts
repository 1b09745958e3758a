import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createLogger } from '../../config/logger';
import type { RegisterDb } from '../../activities/register/database';

export const COORDINATOR_KEY = 'test-coordinator-key-0123456789';

export interface ApiHarness {
  url: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; type: string; body: any }>;
  stop(): Promise<void>;
}

/** The real Express app on an ephemeral loopback port, called over HTTP with fetch. */
export async function startApi(client: Client, db: RegisterDb, taskQueue: string): Promise<ApiHarness> {
  const app = createApp({ client, db, taskQueue, coordinatorApiKey: COORDINATOR_KEY, log: createLogger('silent', 'api') });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${COORDINATOR_KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : text };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
