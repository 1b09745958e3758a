/**
 * api/payload-converter.ts: the API client's payload converter, against the SDK's default.
 *
 * | case                                       | expects                                                |
 * |--------------------------------------------|--------------------------------------------------------|
 * | objects, arrays, scalars, non-ASCII, a lone surrogate | the SDK's bytes and metadata; read back alike |
 * | undefined, a Uint8Array                    | the SDK's null and binary payloads                     |
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadConverter } from '../../api/payload-converter';

describe("the API client's payload converter", () => {
  const values: unknown[] = [
    { state: { stage: 'in-force', parties: [{ id: 'riverside', name: 'Ville de Rivière-Rouge' }], note: 'Ça va 🌊 — « oui »' } },
    ['a', 1, null, true],
    'text',
    0,
    null,
    { lone: '\ud800' },
  ];

  test.each(values.map((v) => [JSON.stringify(v), v]))("%s: the SDK's bytes, read back alike", (_name, value) => {
    const ours = payloadConverter.toPayload(value)!;
    const theirs = defaultPayloadConverter.toPayload(value)!;
    expect(Buffer.from(ours.data!)).toEqual(Buffer.from(theirs.data!));
    expect(ours.metadata).toEqual(theirs.metadata);
    expect(payloadConverter.fromPayload(theirs)).toEqual(defaultPayloadConverter.fromPayload(theirs));
  });

  test('undefined and binary go to the same converters as the SDK', () => {
    expect(payloadConverter.toPayload(undefined)).toEqual(defaultPayloadConverter.toPayload(undefined));
    const bytes = new Uint8Array([1, 2, 3]);
    expect(payloadConverter.toPayload(bytes)).toEqual(defaultPayloadConverter.toPayload(bytes));
    expect(payloadConverter.fromPayload(defaultPayloadConverter.toPayload(bytes)!)).toEqual(bytes);
  });
});
