/**
 * The workflow's own check of a command's shape (domain/command-shape.ts), which has no zod.
 *
 * | case                                                         | expects                                              |
 * |--------------------------------------------------------------|------------------------------------------------------|
 * | every command: REQUIRED_FIELDS against the zod schema of what | the same fields (besides requestId), the same types  |
 * | the workflow receives (COMMANDS[name].command)               |                                                      |
 * | a review with only a requestId (a raw client's update, once  | refused: findings required (applied, it made every   |
 * | applied in force)                                            | later view throw, stopping the partnership)          |
 * | a review whose findings are a text, or a signature whose     | refused, naming the field                            |
 * | draftVersion is a string                                     |                                                      |
 * | a review as the API sends it                                 | accepted                                             |
 */
import type { z } from 'zod';
import { COMMANDS, COMMAND_NAMES } from '../../domain/commands';
import { REQUIRED_FIELDS, commandShapeIssue } from '../../domain/command-shape';

/** What JavaScript type a zod field holds, as the workflow's check names it. */
function typeOf(field: z.ZodType): string {
  const def = (field as unknown as { _zod: { def: { type: string; entries?: Record<string, unknown> } } })._zod.def;
  if (def.type === 'enum') return Object.values(def.entries ?? {}).every((v) => typeof v === 'string') ? 'string' : 'mixed';
  return ['string', 'number', 'boolean'].includes(def.type) ? def.type : 'object';
}

test.each(COMMAND_NAMES.map((name) => [name]))('%s: the required fields and their types are those of its zod schema', (name) => {
  const shape = (COMMANDS[name].command as unknown as { shape: Record<string, z.ZodType> }).shape;
  const required = Object.fromEntries(
    Object.entries(shape)
      .filter(([key, field]) => key !== 'requestId' && !field.safeParse(undefined).success)
      .map(([key, field]) => [key, typeOf(field)]),
  );
  expect(REQUIRED_FIELDS[name]).toEqual(required);
});

const reference = { sha256: 'a'.repeat(64), size: 18, excerpt: 'Targets were met.' };

test('a review with nothing but a requestId is refused: the view reads its findings', () => {
  expect(commandShapeIssue('recordReview', { requestId: 'review-1' })).toBe('heldOn: required, a string');
  expect(commandShapeIssue('recordReview', { requestId: 'review-1', heldOn: '2026-06-01' })).toBe('findings: required, an object');
});

test('a field of another type is refused, named', () => {
  expect(commandShapeIssue('recordReview', { requestId: 'review-1', heldOn: '2026-06-01', findings: 'Targets were met.' })).toBe(
    'findings: required, an object',
  );
  const signature = { requestId: 'signature-1', partyId: 'maple', signatoryName: 'A', signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: '2' };
  expect(commandShapeIssue('sign', signature)).toBe('draftVersion: required, a number');
  expect(commandShapeIssue('sign', { ...signature, draftVersion: 2 })).toBeUndefined();
});

test('a review as the API sends it is accepted', () => {
  expect(commandShapeIssue('recordReview', { requestId: 'review-1', heldOn: '2026-06-01', findings: reference })).toBeUndefined();
});
