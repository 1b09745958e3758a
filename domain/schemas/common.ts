import { z } from 'zod';
import { isDuration } from '../durations';
import { PARTY_ID, PARTY_ID_RULE, REQUEST_ID, REQUEST_ID_RULE } from '../patterns';

/** Names and titles end up in email headers and documents: no control characters (CR/LF, C1 such as U+0085 NEL). */
const CONTROL = /\p{Cc}/u;
/**
 * Invisible and bidirectional format characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width
 * spaces and joiners, the soft hyphen, …) and the line and paragraph separators U+2028 and
 * U+2029: they make a name, a subject or a calendar entry show other text than it holds.
 */
const FORMAT = /\p{Cf}|\p{Zl}|\p{Zp}/u;
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !CONTROL.test(v), { message: 'must be a single line without control characters' })
    .refine((v) => !FORMAT.test(v), { message: 'must not hold invisible or bidirectional format characters (such as U+202E) or line separators' });

export const multiLine = (max: number) => z.string().trim().min(1).max(max);

export const Language = z.enum(['fr', 'en']);
export type Language = z.infer<typeof Language>;

export const Email = z.email().max(254);

export const Slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens, at most 64 characters');

export const PartyId = z.string().regex(PARTY_ID, PARTY_ID_RULE);

export const IsoDate = z.iso.date();

/** The JSON Schema keyword that marks the date of something already done (the web page sets its date picker's max). */
export const PAST_DATE = 'x-entente-past';

/**
 * The day something already happened: an interview, a resolution adopted, a signature. The API
 * refuses one later than today (domain/event-dates.ts); the schema only says so, having no clock.
 */
export const PastDate = IsoDate.meta({ [PAST_DATE]: true, description: 'The day it happened (YYYY-MM-DD), not later than today' });

export const DurationText = z
  .string()
  .max(40)
  .refine(isDuration, { message: 'must be an ISO 8601 duration (P14D) or a phrase such as "14 days" or "24 months"' });

export const Url = z.url({ protocol: /^https?$/ }).max(2000);

/** Sent with every command; the same id sent twice changes nothing the second time. */
export const RequestId = z.string().regex(REQUEST_ID, REQUEST_ID_RULE);
