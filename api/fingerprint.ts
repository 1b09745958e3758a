import { createHash } from 'node:crypto';
import { contentRef, type ContentRef } from '../domain/content';
import { canonicalJson } from '../domain/fingerprint';

/** `sha256Hex()` of domain/fingerprint.ts with node:crypto, rather than the pure-JavaScript SHA-256 the workflow sandbox needs: the same digest, faster. */
const nodeSha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** `fingerprint()` of domain/fingerprint.ts (SHA-256 of the canonical JSON, hex), with node:crypto. */
export const nodeFingerprint = (value: unknown): string => nodeSha256Hex(canonicalJson(value));

/** `contentRef()` of domain/content.ts with node:crypto: the same reference. */
export const nodeContentRef = (text: string): ContentRef => contentRef(text, nodeSha256Hex);
