import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Every payload Entente sends to Temporal (workflow inputs, update arguments, activity inputs and
 * results, queries, markers, memo) is encrypted here with AES-256-GCM before it leaves the
 * process, so that contacts' names and addresses never rest in clear in Temporal's database, its
 * backups or its web UI. Workflow ids, search attributes and event metadata are not payloads and
 * stay clear (README, "What Temporal holds").
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata names, as the Temporal samples' encryption codec spells them. */
export const ENCODING_KEY = 'encoding';
export const KEY_ID_KEY = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface CodecKeys {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key a payload may have been encrypted with: the current one and the retired ones. */
  keys: ReadonlyMap<string, Buffer>;
}

/** A payload this codec cannot read: a key id it does not hold, or a ciphertext that fails authentication. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/** A codec configuration that cannot be used (a malformed key list, a current key that is not in it). */
export class CodecConfigError extends Error {
  override name = 'CodecConfigError';
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * AES-256-GCM over the whole serialised payload (its metadata too, so the original encoding and
 * type stay hidden), with a fresh 96-bit IV each time. The key id is bound as additional data: a
 * payload relabelled with another key id fails authentication instead of decrypting as garbage.
 * Payloads without this codec's encoding pass through, so histories written before the codec
 * still replay.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly config: CodecKeys) {
    if (!config.keys.has(config.currentKeyId)) throw new CodecConfigError(`the current key "${config.currentKeyId}" is not among the configured keys`);
  }

  get currentKeyId(): string {
    return this.config.currentKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.config.currentKeyId;
    const key = this.config.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(utf8(keyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_KEY]: utf8(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.[ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_KEY]);
      if (!keyId) throw new PayloadDecryptionError(`an encrypted payload carries no "${KEY_ID_KEY}"`);
      const key = this.config.keys.get(keyId);
      if (!key) {
        throw new PayloadDecryptionError(
          `a payload is encrypted with key "${keyId}", which is not configured (configured: ${[...this.config.keys.keys()].join(', ')}); ` +
            'add it to ENTENTE_CODEC_KEYS as a retired key',
        );
      }
      const data = payload.data ?? new Uint8Array();
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") is too short to hold its IV and tag`);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") failed authentication: altered, or encrypted with another key of that id`);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * Parses `id1:base64key,id2:base64key` (commas or newlines; `#` starts a comment line). Each key
 * is 32 random bytes in base64 (`openssl rand -base64 32`).
 */
export function parseCodecKeys(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = list
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon).trim() : '';
    // Never the key itself in a message: only its id and what is wrong with it.
    if (!KEY_ID.test(id)) throw new CodecConfigError(`a codec key entry has no valid id before ":" (letters, digits, ".", "_", "-"; at most 64)`);
    if (keys.has(id)) throw new CodecConfigError(`codec key "${id}" is listed twice`);
    const key = Buffer.from(entry.slice(colon + 1).trim(), 'base64');
    if (key.length !== 32) throw new CodecConfigError(`codec key "${id}" is ${key.length} bytes once decoded from base64; AES-256 needs 32`);
    keys.set(id, key);
  }
  return keys;
}

/**
 * The keys from the environment: `ENTENTE_CODEC_KEYS` (the list itself) or `ENTENTE_CODEC_KEYS_FILE`
 * (a file holding it), and `ENTENTE_CODEC_KEY_ID`, the current key (optional when only one key is
 * listed). Undefined when none is configured: the caller runs without encryption and says so.
 */
export function codecKeysFromEnv(source: NodeJS.ProcessEnv = process.env): CodecKeys | undefined {
  const inline = source.ENTENTE_CODEC_KEYS?.trim();
  const file = source.ENTENTE_CODEC_KEYS_FILE?.trim();
  if (inline && file) throw new CodecConfigError('set ENTENTE_CODEC_KEYS or ENTENTE_CODEC_KEYS_FILE, not both');
  const list = inline || (file ? readFileSync(file, 'utf8') : '');
  const keys = parseCodecKeys(list);
  if (keys.size === 0) {
    if (file) throw new CodecConfigError(`ENTENTE_CODEC_KEYS_FILE ${file} holds no key`);
    return undefined;
  }
  const current = source.ENTENTE_CODEC_KEY_ID?.trim() || (keys.size === 1 ? [...keys.keys()][0]! : undefined);
  if (!current) throw new CodecConfigError('ENTENTE_CODEC_KEY_ID must name the current key when several are listed');
  if (!keys.has(current)) throw new CodecConfigError(`ENTENTE_CODEC_KEY_ID "${current}" is not among the listed keys`);
  return { currentKeyId: current, keys };
}

/** A new key entry for the list: `id:base64`. */
export const generateCodecKey = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;

/** The data converter of every worker and client: the codec when keys are configured, Temporal's default otherwise. */
export const dataConverterFor = (codec: PayloadCodec | undefined): DataConverter => (codec ? { payloadCodecs: [codec] } : {});

/**
 * The codec from the environment, or undefined with a warning: running without encryption is
 * allowed (a first try, a test), never silent.
 */
export function codecFromEnv(log: { warn(msg: string): void }, source: NodeJS.ProcessEnv = process.env): EncryptionCodec | undefined {
  const keys = codecKeysFromEnv(source);
  if (!keys) {
    log.warn('no ENTENTE_CODEC_KEYS or ENTENTE_CODEC_KEYS_FILE: payloads reach Temporal unencrypted, personal data included');
    return undefined;
  }
  return new EncryptionCodec(keys);
}

/** `TEMPORAL_UI_ORIGIN` (say `http://localhost:8233`) as an origin, the only one the codec endpoint answers browsers from. */
export function temporalUiOrigin(source: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = source.TEMPORAL_UI_ORIGIN?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CodecConfigError('TEMPORAL_UI_ORIGIN must be an origin such as https://temporal.example.org');
  }
  if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, '')) {
    throw new CodecConfigError('TEMPORAL_UI_ORIGIN must be an origin (scheme, host and port, no path) such as https://temporal.example.org');
  }
  return url.origin;
}
