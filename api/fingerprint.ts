import { createHash } from 'node:crypto';
import { excerptOf, type ContentRef } from '../domain/content';
import { canonicalJson } from '../domain/fingerprint';

/**
 * `fingerprint()` of domain/fingerprint.ts (SHA-256 of the canonical JSON, hex), with node:crypto
 * rather than the pure-JavaScript SHA-256 the workflow sandbox needs: the same digest, faster.
 */
export const nodeFingerprint = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** `contentRef()` of domain/content.ts with node:crypto: the same reference, without the pure-JavaScript hash. */
export const nodeContentRef = (text: string): ContentRef => ({
  sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  size: Buffer.byteLength(text, 'utf8'),
  excerpt: excerptOf(text),
});
