/**
 * The syntax of identifiers, as plain regular expressions: the zod schemas (domain/schemas) and
 * the workflow's own cheap check (domain/command-shape.ts) share them.
 */
export const PARTY_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const PARTY_ID_RULE = 'lower-case letters, digits and inner hyphens, at most 40 characters';
export const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;
export const REQUEST_ID_RULE = '8 to 100 letters, digits or . _ : -';
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const SHA256_RULE = 'a SHA-256 in lower-case hex';
