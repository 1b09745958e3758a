import { connect } from 'node:net';

/**
 * Resolves once something accepts connections on the loopback port. Its own module, with nothing
 * else: `npm start` loads it without the team mode's Temporal and PostgreSQL clients.
 */
export function waitForPort(port: number, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolvePort, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolvePort();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`${what} did not open port ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}
