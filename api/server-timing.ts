import type { RequestHandler, Response } from 'express';

/** Notes when the request reached the API, for the Server-Timing of its answer. */
export const receivedAt: RequestHandler = (_req, res, next) => {
  res.locals.receivedAt = performance.now();
  next();
};

const ms = (duration: number): string => duration.toFixed(2);

/**
 * `Server-Timing` of a command's answer, so that a client (a browser's developer tools, the
 * benchmark) can tell the API's own time from Temporal's: `api`, from the request's arrival to
 * the update being sent (body, key, limits, validation, the register's look-up of the request id);
 * `temporal`, the update's round trip, the workflow's work included. Durations only: nothing about
 * the partnership or the caller.
 */
export function setCommandTiming(res: Response, sentAt: number, answeredAt: number): void {
  const received = res.locals.receivedAt as number | undefined;
  const api = received === undefined ? '' : `api;dur=${ms(sentAt - received)};desc="before the update", `;
  res.setHeader('Server-Timing', `${api}temporal;dur=${ms(answeredAt - sentAt)};desc="the update"`);
}
