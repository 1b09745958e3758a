import { COMMAND_INFO, type CommandName } from './command-catalogue';
import { EXCERPT_CHARS, INLINE_TEXT_BYTES, utf8Size } from './content';
import { sha256Hex } from './fingerprint';
import { MAX_SCHEDULED_MEETINGS } from './meeting-calendar';
import { PARTY_ID, PARTY_ID_RULE, REQUEST_ID, REQUEST_ID_RULE, SHA256_HEX } from './patterns';

/** No command the API sends comes near this; anything larger would only grow the state. */
export const MAX_COMMAND_BYTES = 16 * 1024;

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

const isContentRef = (value: unknown): boolean => {
  if (!isPlainObject(value)) return false;
  const ref = value;
  return (
    Object.keys(ref).length === 3 &&
    typeof ref.sha256 === 'string' &&
    SHA256_HEX.test(ref.sha256) &&
    Number.isInteger(ref.size) &&
    (ref.size as number) >= 0 &&
    typeof ref.excerpt === 'string' &&
    ref.excerpt.length <= EXCERPT_CHARS + 1
  );
};

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const isDayText = (value: unknown): boolean => typeof value === 'string' && DAY_TEXT.test(value);
const isInstant = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** A council's calendar as the API expands it (domain/meeting-calendar.ts), checked as cheaply as the rest. */
function scheduleIssue(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'expected the calendar expanded by the API';
  const s = value as Record<string, unknown>;
  if (typeof s.timeZone !== 'string' || typeof s.province !== 'string' || !isDayText(s.until) || !Number.isInteger(s.agendaLeadDays)) {
    return 'expected timeZone, province, until and agendaLeadDays';
  }
  const list = (v: unknown, max: number, ok: (item: Record<string, unknown>) => boolean) =>
    Array.isArray(v) && v.length <= max && v.every((item) => item && typeof item === 'object' && ok(item as Record<string, unknown>));
  if (!list(s.meetings, MAX_SCHEDULED_MEETINGS, (m) => isDayText(m.on) && isInstant(m.at) && isDayText(m.agendaClosesOn))) {
    return `meetings: at most ${MAX_SCHEDULED_MEETINGS}, each { on, at, agendaClosesOn }`;
  }
  if (!list(s.holidays, 60, (h) => isDayText(h.on))) return 'holidays: at most 60, each { on, name }';
  if (!list(s.offsets, 12, (o) => isInstant(o.from) && Number.isInteger(o.minutes))) return 'offsets: at most 12, each { from, minutes }';
  return undefined;
}

type FieldType = 'string' | 'number' | 'boolean' | 'object';

/**
 * The fields each command must carry besides its requestId, with their JavaScript type: what the
 * workflow reads of a command without a guard. Written out here because the workflow has no zod;
 * test/unit/command-shape.test.ts keeps it equal to the required fields of the zod schemas.
 */
export const REQUIRED_FIELDS: { readonly [N in CommandName]: Readonly<Record<string, FieldType>> } = {
  recordIntakeDecision: { accepted: 'boolean', interviewedOn: 'string' },
  recordResolution: { partyId: 'string', subject: 'string', outcome: 'string', resolutionNumber: 'string', adoptedOn: 'string' },
  recordMilestone: { milestone: 'string' },
  submitDraft: { version: 'number', title: 'string' },
  submitFeedback: { author: 'string', comments: 'object' },
  sign: { partyId: 'string', signatoryName: 'string', signatoryTitle: 'string', signedOn: 'string', draftVersion: 'number' },
  recordReview: { heldOn: 'string', findings: 'object' },
  amendTerm: { newEndsOn: 'string', reason: 'string' },
  renew: { termMonths: 'number', decidedOn: 'string' },
  giveNotice: { partyId: 'string', reason: 'string' },
  withdrawNotice: { partyId: 'string' },
  withdrawParty: { partyId: 'string', reason: 'string' },
  abandon: { reason: 'string' },
  replaceContact: { partyId: 'string', role: 'string', contact: 'object' },
  setPartyRole: { partyId: 'string', role: 'string' },
  setMeetingCalendar: { partyId: 'string', schedule: 'object' },
};

/**
 * The workflow's own check of a command, before the rules: cheap, and without zod (whose 300
 * modules would cost every cached partnership memory). The API validated the body in full with
 * the zod schemas (domain/commands.ts); this keeps whatever else reaches the workflow (a client
 * with access to Temporal) from carrying a malformed id, a text instead of its reference, or an
 * oversized command into the state. Returns what is wrong, or undefined.
 */
export function commandShapeIssue(name: CommandName, command: unknown): string | undefined {
  if (!isPlainObject(command)) return 'body: expected an object';
  const fields = command;
  if (typeof fields.requestId !== 'string' || !REQUEST_ID.test(fields.requestId)) return `requestId: ${REQUEST_ID_RULE}`;
  if (fields.partyId !== undefined && (typeof fields.partyId !== 'string' || !PARTY_ID.test(fields.partyId))) return `partyId: ${PARTY_ID_RULE}`;
  // A field the state and its view read without a guard, missing or of another type, would fail
  // every later workflow task of the partnership.
  for (const [field, type] of Object.entries(REQUIRED_FIELDS[name])) {
    const value = fields[field];
    if (typeof value !== type || value === null || (type === 'object' && Array.isArray(value)))
      return `${field}: required, ${type === 'object' ? 'an object' : `a ${type}`}`;
  }
  for (const field of COMMAND_INFO[name].contents as readonly string[]) {
    if (fields[field] !== undefined && !isContentRef(fields[field])) {
      return `${field}: expected the reference { sha256, size, excerpt } of a text stored by the API`;
    }
  }
  if (name === 'setMeetingCalendar') {
    const issue = scheduleIssue(fields.schedule);
    if (issue) return `schedule: ${issue}`;
  }
  const bytes = utf8Size(JSON.stringify(command));
  return bytes > MAX_COMMAND_BYTES ? `body: ${bytes} bytes, more than the ${MAX_COMMAND_BYTES} a command may take` : undefined;
}

/**
 * The short texts a command carries along (INLINE_TEXT_BYTES): each is whole, one of the
 * command's own references, and hashes to it, so that the register stores exactly the text the
 * state names. Hashing a kilobyte in the workflow costs little; a worker that found a mismatch only
 * when storing it would retry the row for ever. Returns what is wrong, or undefined.
 */
export function inlineTextsIssue(name: CommandName, command: unknown, texts: unknown): string | undefined {
  if (texts === undefined) return undefined;
  const fields = COMMAND_INFO[name].contents as readonly string[];
  if (!Array.isArray(texts) || texts.length > fields.length) return `texts: a list of at most ${fields.length} for ${name}`;
  const refs = fields.map((field) => (command as Record<string, unknown>)[field]).filter(isContentRef) as Array<{ sha256: string; size: number }>;
  for (const [i, text] of texts.entries()) {
    if (!isPlainObject(text)) return `texts[${i}]: expected { sha256, size, body }`;
    const { sha256, size, body } = text;
    if (Object.keys(text).length !== 3 || typeof sha256 !== 'string' || typeof size !== 'number' || typeof body !== 'string') {
      return `texts[${i}]: expected { sha256, size, body }`;
    }
    // A length in UTF-16 units is never more than the UTF-8 size: a longer body is refused unhashed.
    if (size > INLINE_TEXT_BYTES || body.length > INLINE_TEXT_BYTES)
      return `texts[${i}]: more than the ${INLINE_TEXT_BYTES} bytes a text carried along may take`;
    if (!refs.some((ref) => ref.sha256 === sha256 && ref.size === size)) return `texts[${i}]: not the text of one of the command's references`;
    if (utf8Size(body) !== size || sha256Hex(body) !== sha256) return `texts[${i}]: the text does not match its reference`;
  }
  return undefined;
}
