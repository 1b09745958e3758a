/**
 * domain/fingerprint.ts
 *
 * | case                                   | expects                                             |
 * |----------------------------------------|-----------------------------------------------------|
 * | keys in any order, nested              | same canonical JSON, keys sorted at every level     |
 * | undefined properties                   | left out                                            |
 * | arrays                                 | order kept                                          |
 * | scalars and null                       | as JSON.stringify                                   |
 * | sha256Hex known vectors                | "", "abc", the 448-bit NIST message, UTF-8 text     |
 * | fingerprint                            | equal for reordered keys, differs on any value      |
 */
import { createHash } from 'node:crypto';
import { canonicalJson, fingerprint, sha256Hex } from '../../domain/fingerprint';

describe('canonicalJson', () => {
  test('sorts keys', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
  });

  test('sorts keys at every depth, including inside arrays', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ q: 1, p: 2 }] }, a: null })).toBe('{"a":null,"z":{"x":[{"p":2,"q":1}],"y":1}}');
  });

  test('the same value with keys in another order gives the same text', () => {
    const a = { requestId: 'r-1', partyId: 'maple', nested: { one: 1, two: [1, 2] } };
    const b = { nested: { two: [1, 2], one: 1 }, partyId: 'maple', requestId: 'r-1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  test('leaves out undefined properties', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  test('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  test.each<[unknown, string]>([
    [null, 'null'],
    [42, '42'],
    ['text "quoted"', '"text \\"quoted\\""'],
    [true, 'true'],
    [[], '[]'],
    [{}, '{}'],
  ])('%j as JSON', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test('is valid JSON that parses back to the same value', () => {
    const value = { b: [1, { d: 'é', c: null }], a: 'x' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('sha256Hex', () => {
  test.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('%j', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex);
  });

  test('hashes the UTF-8 bytes, as node:crypto does', () => {
    const text = 'Entente à Québec — Première Nation';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  test('is 64 lower-case hex characters', () => {
    expect(sha256Hex('anything')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('fingerprint', () => {
  test('is the hash of the canonical JSON', () => {
    const value = { b: 2, a: 1 };
    expect(fingerprint(value)).toBe(sha256Hex('{"a":1,"b":2}'));
  });

  test('ignores key order and undefined, not values', () => {
    const base = { requestId: 'r-0001', accepted: true, interviewedOn: '2025-02-01' };
    expect(fingerprint({ interviewedOn: '2025-02-01', accepted: true, requestId: 'r-0001', notes: undefined })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, accepted: false })).not.toBe(fingerprint(base));
    expect(fingerprint({ ...base, notes: '' })).not.toBe(fingerprint(base));
  });
});

test('a Date keeps its instant in canonical JSON', () => {
  expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
});
