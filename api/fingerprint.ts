import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/fingerprint';

/**
 * `fingerprint()` of domain/fingerprint.ts (SHA-256 of the canonical JSON, hex), with node:crypto
 * rather than the pure-JavaScript SHA-256 the workflow sandbox needs: the same digest, faster.
 */
export const nodeFingerprint = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');
