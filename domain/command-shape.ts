import { COMMAND_INFO, type CommandName } from './command-catalogue';
import { EXCERPT_CHARS, utf8Size } from './content';
import { PARTY_ID, PARTY_ID_RULE, REQUEST_ID, REQUEST_ID_RULE, SHA256_HEX } from './patterns';

/** No command the API sends comes near this; anything larger would only grow the state. */
export const MAX_COMMAND_BYTES = 16 * 1024;

const isContentRef = (value: unknown): boolean => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const ref = value as Record<string, unknown>;
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

/**
 * The workflow's own check of a command, before the rules: cheap, and without zod (whose 300
 * modules would cost every cached partnership memory). The API validated the body in full with
 * the zod schemas (domain/commands.ts); this keeps whatever else reaches the workflow (a client
 * with access to Temporal) from carrying a malformed id, a text instead of its reference, or an
 * oversized command into the state. Returns what is wrong, or undefined.
 */
export function commandShapeIssue(name: CommandName, command: unknown): string | undefined {
  if (!command || typeof command !== 'object' || Array.isArray(command)) return 'body: expected an object';
  const fields = command as Record<string, unknown>;
  if (typeof fields.requestId !== 'string' || !REQUEST_ID.test(fields.requestId)) return `requestId: ${REQUEST_ID_RULE}`;
  if (fields.partyId !== undefined && (typeof fields.partyId !== 'string' || !PARTY_ID.test(fields.partyId))) return `partyId: ${PARTY_ID_RULE}`;
  for (const field of COMMAND_INFO[name].contents as readonly string[]) {
    if (fields[field] !== undefined && !isContentRef(fields[field])) {
      return `${field}: expected the reference { sha256, size, excerpt } of a text stored by the API`;
    }
  }
  const bytes = utf8Size(JSON.stringify(command));
  return bytes > MAX_COMMAND_BYTES ? `body: ${bytes} bytes, more than the ${MAX_COMMAND_BYTES} a command may take` : undefined;
}
