/**
 * `node dist/bench/forwarder.js`: the least an HTTP API in front of Entente's workflow can cost,
 * the baseline the API's command is measured against beside the raw update. A bare `node:http`
 * server that takes `POST /<workflowId>` with a `recordReview` body, sends it with the benchmark's
 * raw client's `send` (the claim check's references; the same data converter and retries), and
 * answers the update's result as JSON: no Express, key, limits, validation or register.
 * Environment: TEMPORAL_ADDRESS, PORT, ENTENTE_CODEC_KEYS (optional, as the API's).
 */
import { createServer } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { apiGrpcInterceptors } from '../api/outages';
import { codecFromEnv, dataConverterFor } from '../config/codec';
import type { CommandBody } from '../domain';
import { send } from './lifecycle';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS, PORT } = process.env;
  if (!TEMPORAL_ADDRESS || !PORT) throw new Error('TEMPORAL_ADDRESS and PORT must be set');
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS, interceptors: apiGrpcInterceptors() });
  const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFor(codecFromEnv({ warn() {} })) });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommandBody<'recordReview'>;
        const handle = client.workflow.getHandle(decodeURIComponent((req.url ?? '/').slice(1)));
        return Buffer.from(JSON.stringify(await send(handle, 'recordReview', body)));
      };
      forward().then(
        (json) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': json.length }).end(json),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    });
  });
  server.listen(Number(PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'forwarder listening' })));
}

main().catch((err) => {
  console.error('forwarder failed:', err);
  process.exit(1);
});
