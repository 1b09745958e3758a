/**
 * The payload codec (config/codec.ts): AES-256-GCM, the key id in each payload's metadata.
 *
 * | case                                        | expected                                                        |
 * |---------------------------------------------|-----------------------------------------------------------------|
 * | a payload encoded then decoded              | the same payload, metadata and data; no clear text in between   |
 * | the same payload encoded twice              | two different ciphertexts (a fresh IV each time)                |
 * | a payload without the codec's encoding      | passes through decode unchanged (histories before the codec)   |
 * | rotation: encrypted under a retired key     | still decodes; new payloads use the current key                |
 * | a key id the codec does not hold            | PayloadDecryptionError naming the id                            |
 * | a tampered ciphertext, a relabelled key id  | PayloadDecryptionError (authentication fails)                   |
 * | key lists: inline, file, malformed          | parsed, or CodecConfigError without the key's bytes             |
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  CodecConfigError,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_KEY,
  PayloadDecryptionError,
  codecKeysFromEnv,
  generateCodecKey,
  parseCodecKeys,
  temporalUiOrigin,
} from '../../config/codec';

const OLD = generateCodecKey('2025-01');
const NEW = generateCodecKey('2026-01');
const contact = { name: 'Mona Mayor', email: 'mayor@riverside.example' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const codecWith = (list: string, current?: string) =>
  new EncryptionCodec(codecKeysFromEnv({ ENTENTE_CODEC_KEYS: list, ...(current ? { ENTENTE_CODEC_KEY_ID: current } : {}) })!);

test('a payload round-trips, and nothing of it is readable in between', async () => {
  const codec = codecWith(NEW);
  const original = payloadOf(contact);
  const [encrypted] = await codec.encode([original]);
  expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(text(encrypted!.metadata![KEY_ID_KEY])).toBe('2026-01');
  // The original encoding is inside the ciphertext too: the metadata says nothing of the type.
  expect(Object.keys(encrypted!.metadata!).sort()).toEqual(['encoding', KEY_ID_KEY].sort());
  const raw = text(encrypted!.data);
  for (const clear of ['Mona', 'mayor@', 'json/plain']) expect(raw).not.toContain(clear);
  const [decoded] = await codec.decode([encrypted!]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(contact);
  expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
});

test('the same payload encrypts differently each time (a fresh IV)', async () => {
  const codec = codecWith(NEW);
  const [a, b] = await codec.encode([payloadOf(contact), payloadOf(contact)]);
  expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
});

test('a payload written before the codec passes through decode unchanged', async () => {
  const codec = codecWith(NEW);
  const clear = payloadOf(contact);
  const [decoded] = await codec.decode([clear]);
  expect(decoded).toBe(clear);
  const empty: Payload = { metadata: { encoding: Buffer.from('binary/null') } };
  expect(await codec.decode([empty])).toEqual([empty]);
});

test('rotation: new payloads use the current key, and one encrypted under a retired key still decodes', async () => {
  const before = codecWith(OLD);
  const [old] = await before.encode([payloadOf(contact)]);
  const after = codecWith(`${OLD},${NEW}`, '2026-01');
  const [fresh] = await after.encode([payloadOf(contact)]);
  expect(text(fresh!.metadata![KEY_ID_KEY])).toBe('2026-01');
  const decoded = await after.decode([old!, fresh!]);
  expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([contact, contact]);
});

test('a key id the codec does not hold is a clear error naming it', async () => {
  const [old] = await codecWith(OLD).encode([payloadOf(contact)]);
  const promise = codecWith(NEW).decode([old!]);
  await expect(promise).rejects.toBeInstanceOf(PayloadDecryptionError);
  await expect(codecWith(NEW).decode([old!])).rejects.toThrow(/key "2025-01", which is not configured \(configured: 2026-01\)/);
});

test('a tampered ciphertext is refused, and so is a payload relabelled with another key id', async () => {
  const codec = codecWith(`${OLD},${NEW}`, '2026-01');
  const [encrypted] = await codec.encode([payloadOf(contact)]);
  const flipped = Buffer.from(encrypted!.data!);
  flipped[20] = flipped[20]! ^ 1;
  await expect(codec.decode([{ ...encrypted!, data: flipped }])).rejects.toThrow(PayloadDecryptionError);
  await expect(codec.decode([{ ...encrypted!, data: flipped }])).rejects.toThrow(/failed authentication/);
  const relabelled = { metadata: { ...encrypted!.metadata, [KEY_ID_KEY]: Buffer.from('2025-01') }, data: encrypted!.data };
  await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication/);
  await expect(codec.decode([{ ...encrypted!, data: Buffer.alloc(10) }])).rejects.toThrow(/too short/);
});

test('keys come from ENTENTE_CODEC_KEYS or a file; none configured means no codec', () => {
  expect(codecKeysFromEnv({})).toBeUndefined();
  expect(codecKeysFromEnv({ ENTENTE_CODEC_KEYS: ' ' })).toBeUndefined();
  const one = codecKeysFromEnv({ ENTENTE_CODEC_KEYS: NEW })!;
  expect(one.currentKeyId).toBe('2026-01');
  const file = join(mkdtempSync(join(tmpdir(), 'entente-codec-')), 'keys');
  writeFileSync(file, `# retired, kept: payloads written under it still decode\n${OLD}\n# current\n${NEW}\n`);
  const fromFile = codecKeysFromEnv({ ENTENTE_CODEC_KEYS_FILE: file, ENTENTE_CODEC_KEY_ID: '2026-01' })!;
  expect([...fromFile.keys.keys()]).toEqual(['2025-01', '2026-01']);
  expect(fromFile.currentKeyId).toBe('2026-01');
});

test('a malformed key list stops the process with a message that never holds a key', () => {
  const secret = Buffer.alloc(16, 7).toString('base64');
  const attempts: Array<[Record<string, string>, RegExp]> = [
    [{ ENTENTE_CODEC_KEYS: `short:${secret}` }, /"short" is 16 bytes/],
    [{ ENTENTE_CODEC_KEYS: secret }, /no valid id/],
    [{ ENTENTE_CODEC_KEYS: `${NEW},${NEW}` }, /listed twice/],
    [{ ENTENTE_CODEC_KEYS: `${OLD},${NEW}` }, /ENTENTE_CODEC_KEY_ID must name the current key/],
    [{ ENTENTE_CODEC_KEYS: NEW, ENTENTE_CODEC_KEY_ID: 'gone' }, /"gone" is not among/],
    [{ ENTENTE_CODEC_KEYS: NEW, ENTENTE_CODEC_KEYS_FILE: '/nonexistent' }, /not both/],
  ];
  for (const [source, message] of attempts) {
    let error: unknown;
    try {
      codecKeysFromEnv(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CodecConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(secret);
    expect((error as Error).message).not.toContain(NEW.split(':')[1]);
  }
  expect(parseCodecKeys('').size).toBe(0);
});

test('TEMPORAL_UI_ORIGIN is an origin, without a path', () => {
  expect(temporalUiOrigin({})).toBeUndefined();
  expect(temporalUiOrigin({ TEMPORAL_UI_ORIGIN: 'http://localhost:8233' })).toBe('http://localhost:8233');
  expect(temporalUiOrigin({ TEMPORAL_UI_ORIGIN: 'https://temporal.example.org/' })).toBe('https://temporal.example.org');
  expect(() => temporalUiOrigin({ TEMPORAL_UI_ORIGIN: 'https://temporal.example.org/ui' })).toThrow(CodecConfigError);
  expect(() => temporalUiOrigin({ TEMPORAL_UI_ORIGIN: 'temporal' })).toThrow(CodecConfigError);
});
