import { z } from 'zod';
import { COMMANDS, COMMAND_NAMES, LIMITS, StartPartnership } from '../domain';
import { IssueAccessKey } from '../domain';
import { DeskQuery, DESK_ENTRIES, DESK_LIMIT, DESK_LISTING_REUSE_MS, DESK_QUERY_LIMIT } from './routes/desk';
import { ListQuery } from './listing';
import { WireBody } from './routes/codec';

/**
 * OpenAPI 3.1 from the same zod schemas that validate the bodies, through zod's own JSON Schema
 * converter (OpenAPI 3.1 schemas are JSON Schema 2020-12). Refinements that JSON Schema cannot
 * express (one of text or documentUrl, say) are enforced by the API and listed in descriptions.
 */
export function openApiDocument(serverUrl?: string) {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  const components: Record<string, unknown> = {
    StartPartnership: schema(StartPartnership),
    IssueAccessKey: schema(IssueAccessKey),
    CodecPayloads: schema(WireBody),
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } } },
      },
      required: ['title', 'status'],
    },
  };
  for (const name of COMMAND_NAMES) components[pascal(name)] = schema(COMMANDS[name].schema);

  const problems = (...statuses: number[]) =>
    Object.fromEntries(
      statuses.map((status) => [
        String(status),
        { description: PROBLEM_TEXT[status] ?? 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      ]),
    );
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const json = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

  const paths: Record<string, Record<string, unknown>> = {
    '/partnerships': {
      post: {
        summary: 'Start a partnership process',
        description:
          "Durations override the template's. Reminder, check-in and review intervals and reminder lead times are at least 1 hour; consultationWindow, noticePeriod and term are whole days (months count as whole), at least 1 day. Below a floor: 422 naming the field, unless the API runs with ALLOW_SHORT_DURATIONS=true (demos and tests).",
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            schema: { type: 'string' },
            description: 'Sent again with the same body, the same 201; with another body, 409',
          },
        ],
        requestBody: json('StartPartnership'),
        responses: { '201': { description: 'Started; the id to use in every other route' }, ...problems(400, 401, 403, 409, 422, 503) },
      },
      get: {
        summary: 'List partnerships (coordinator), filtered and paged through Temporal visibility',
        description:
          'A listing is of the partnerships as they were 5 seconds before its first page, each once however long the paging takes: those started since first (one just started is listed at once), then the live ones (newest run first), then the ended ones (latest ended first). The last page may be empty.',
        parameters: queryParameters(ListQuery),
        responses: { '200': { description: 'A page of partnerships and the token of the next' }, ...problems(401, 403, 422, 503) },
      },
    },
    '/me': {
      get: {
        summary: "This key's role, and for a party key or session its party and partnership",
        responses: {
          '200': {
            description:
              "{ role, partyId?, partnershipId?, means: 'coordinator-key' | 'access-key' | 'action-link', action? }; action: what the link the session was opened with asks for ({ command, prefill })",
          },
          ...problems(401),
          '429': { description: 'Too many failed sign-ins from this address' },
        },
      },
    },
    '/sessions': {
      post: {
        summary: 'Exchange the token of a personal link from an email for a session (no key needed)',
        description:
          'The session (`ens_…`) is then sent as "Authorization: Bearer <session>" for 12 hours, with the role, party and partnership of the link. A refused token answers 401 whose detail says why: unknown (incomplete or altered), expired, or revoked (the contact was replaced, the party withdrew, the partnership ended, the coordinator revoked it). 20 failed sign-ins from one address in 10 minutes: 429.',
        security: [],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', properties: { token: { type: 'string', pattern: '^enl_' } }, required: ['token'] } } },
        },
        responses: {
          '201': { description: '{ session, expiresAt, role, partyId, partnershipId, action? }' },
          ...problems(401, 422),
          '429': { description: 'Too many failed sign-ins from this address (20 in 10 minutes); Retry-After says when to try again' },
        },
      },
    },
    '/partnerships/{id}/action-links': {
      get: {
        summary:
          "The personal links the partnership's emails carried (coordinator): id, party, role, event, when issued, used, expiring and revoked, and why; never a token",
        parameters: [idParam],
        responses: { '200': { description: '{ partnershipId, links }' }, ...problems(401, 403, 404, 503) },
      },
    },
    '/partnerships/{id}/action-links/{linkId}/revoke': {
      post: {
        summary: 'Revoke a personal link (coordinator) and the sessions opened with it; revoking again changes nothing',
        parameters: [idParam, { name: 'linkId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
        responses: { '200': { description: 'The revoked link' }, ...problems(401, 403, 404) },
      },
    },
    '/desk': {
      get: {
        summary: "The coordinator's desk: what is owed across every live partnership (overdue, due this week, later), escalations, the next deadlines",
        parameters: queryParameters(DeskQuery),
        responses: {
          '200': {
            description: `{ generatedAt, partnerships, unreadable, omitted, counts, entriesTotal, offset, entries, nextDeadlines }: \`entries\` is a page (\`limit\`, ${DESK_ENTRIES} unless asked, from \`offset\`) of everything owed, overdue first, escalated first within a status, then the oldest; \`counts\` (overdue, due-this-week, later, escalated) and \`entriesTotal\` are of all of it. The desk lists at most ${DESK_LIMIT} live partnerships, from the summaries their workflows keep in the register, and queries the state of at most ${DESK_QUERY_LIMIT} without one (begun before summaries were kept and unchanged since), keeping what it read for the next desk; \`omitted\` counts the live ones that match but were left out (narrow the filters), \`unreadable\` those whose query failed. A page after the first (\`offset\` > 0) reuses the listing of the same filters a first page made in the last ${DESK_LISTING_REUSE_MS / 60_000} minutes; what each partnership owes is read afresh. 503 only when some need a query and no worker polls`,
          },
          ...problems(401, 403, 422, 503),
        },
      },
    },
    '/partnerships/{id}': {
      get: {
        summary: 'The whole picture (the state query), and `actions`: what the caller may send now, pre-filled (the rules the workflow applies)',
        parameters: [idParam],
        responses: { '200': { description: 'State' }, ...problems(401, 404, 503) },
      },
    },
    '/partnerships/{id}/access-keys': {
      post: {
        summary: "Issue a key for one party's clerk, signatory or champion (shown once)",
        parameters: [
          idParam,
          {
            name: 'Idempotency-Key',
            in: 'header',
            schema: { type: 'string' },
            description:
              'Sent again with the same body: the key the first attempt issued is revoked (its answer was lost) and a new one answered, so that one key is live either way; with another body, 409',
          },
        ],
        requestBody: json('IssueAccessKey'),
        responses: { '201': { description: 'The key, and its id' }, ...problems(401, 403, 404, 409, 422, 503) },
      },
      get: {
        summary: "The partnership's party keys (coordinator): id, role, party, label, when issued and revoked; never the key",
        parameters: [idParam],
        responses: { '200': { description: 'Keys' }, ...problems(401, 403, 404, 503) },
      },
    },
    '/partnerships/{id}/access-keys/{keyId}/revoke': {
      post: {
        summary: 'Revoke a party key (coordinator); it stops working at once; revoking again changes nothing',
        parameters: [idParam, { name: 'keyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
        responses: { '200': { description: 'The revoked key' }, ...problems(401, 403, 404, 503) },
      },
    },
    '/partnerships/{id}/decisions': {
      get: {
        summary: 'The decision register and its hash-chain check',
        parameters: [idParam],
        responses: { '200': { description: 'Rows' }, ...problems(401, 404, 503) },
      },
    },
    '/partnerships/{id}/agreement': {
      get: {
        summary: 'The agreement document: HTML, or Markdown with Accept: text/markdown',
        parameters: [idParam, { name: 'lang', in: 'query', schema: { type: 'string', enum: ['fr', 'en'] } }],
        responses: { '200': { description: 'The document', content: { 'text/html': {}, 'text/markdown': {} } }, ...problems(401, 404, 409, 503) },
      },
    },
    '/partnerships/{id}/contents/{sha256}': {
      get: {
        summary: "A text a command carried (draft, feedback comments, findings, notes, a resolution's reason), whole; the state shows its excerpt and this url",
        parameters: [idParam, { name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
        responses: { '200': { description: 'The text, byte for byte', content: { 'text/plain': {} } }, ...problems(401, 404, 503) },
      },
    },
    '/partnerships/{id}/calendar.ics': {
      get: {
        summary: 'Upcoming deadlines and meetings',
        parameters: [idParam],
        responses: { '200': { description: 'iCalendar', content: { 'text/calendar': {} } }, ...problems(401, 404, 503) },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness: Temporal and database reachability, and whether a worker polls the task queue',
        security: [],
        responses: { '200': { description: 'ok' }, '503': { description: 'degraded: something is unreachable, or no worker polls' } },
      },
    },
    '/codec/encode': {
      post: {
        summary:
          "Temporal's remote payload codec: encrypts `{ payloads: [{ metadata, data }] }` (base64) with the current key (coordinator; CORS for TEMPORAL_UI_ORIGIN only)",
        requestBody: json('CodecPayloads'),
        responses: { '200': { description: '{ payloads }, encrypted' }, ...problems(400, 401, 403, 413, 422, 429) },
      },
    },
    '/codec/decode': {
      post: {
        summary:
          "Temporal's remote payload codec: decrypts payloads with the key named in each one's metadata, so the Temporal UI or CLI can show them (coordinator only)",
        requestBody: json('CodecPayloads'),
        responses: {
          '200': { description: '{ payloads }, in clear' },
          ...problems(400, 401, 403, 413, 429),
          '422': {
            description: 'The body is not a list of payloads, or a payload cannot be decrypted (its key is not among ENTENTE_CODEC_KEYS, or it was altered)',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
    },
    '/labels.json': {
      get: {
        summary: 'Every label of the page and the emails in French and English: { en: { key: text }, fr: { key: text } }',
        security: [],
        responses: { '200': { description: 'labels' } },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'metrics' } } } },
  };
  for (const name of COMMAND_NAMES) {
    paths[`/partnerships/{id}/${COMMANDS[name].route}`] = {
      post: {
        operationId: name,
        summary: COMMANDS[name].title.en,
        description: `\`${name}\`, sent by: ${COMMANDS[name].roles.join(', ')}. En français : ${COMMANDS[name].title.fr}.`,
        'x-entente-roles': COMMANDS[name].roles,
        'x-entente-title': COMMANDS[name].title,
        parameters: [idParam, { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' }, description: 'Instead of requestId in the body' }],
        requestBody: json(pascal(name)),
        responses: {
          '200': {
            description: `Applied (or already applied): \`{ result, state }\`, the state after the command with the latest ${LIMITS.answerTimelineKept} timeline entries (\`timelineOmitted\`: how many earlier ones GET /partnerships/{id} adds)`,
          },
          ...problems(400, 401, 403, 404, 409, 422, 429, 503),
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Entente API',
      version: '1.0.0',
      description: 'Partnership processes between organisations, each a durable Temporal workflow.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}

const pascal = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

/** A query's parameters from the zod object that parses it: names, types, bounds and defaults alike. */
function queryParameters(query: z.ZodObject) {
  const { properties = {}, required = [] } = z.toJSONSchema(query, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', ...(required.includes(name) ? { required: true } : {}), schema }));
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'The body is not JSON',
  401: 'No or unknown API key',
  403: 'This key may not do this',
  404: 'No such partnership (or not visible to this key)',
  409: 'The command does not fit the partnership as it is now',
  413: 'The body is larger than the route takes',
  422: 'The body or its content is invalid',
  429: 'Too many writes: past WRITES_PER_MINUTE for this API key',
  503: "Temporal or the database is unreachable, no worker is running, or the partnership's workflow task is failing",
};
