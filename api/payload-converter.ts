import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  JsonPayloadConverter,
  METADATA_ENCODING_KEY,
  UndefinedPayloadConverter,
  ValueError,
  encodingKeys,
  type Payload,
} from '@temporalio/common';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The SDK's JSON converter with Node's own UTF-8 encoder and decoder: the SDK's are pure
 * JavaScript (for the workflow sandbox) and take four times as long over the state each command
 * answers with. The bytes are the same.
 */
class NativeJsonPayloadConverter extends JsonPayloadConverter {
  override toPayload(value: unknown): Payload | undefined {
    if (value === undefined) return undefined;
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      return undefined;
    }
    return { metadata: { [METADATA_ENCODING_KEY]: encodingKeys.METADATA_ENCODING_JSON }, data: encoder.encode(json) };
  }

  override fromPayload<T>(content: Payload): T {
    if (content.data === undefined || content.data === null) throw new ValueError('Got payload with no data');
    return JSON.parse(decoder.decode(content.data)) as T;
  }
}

/**
 * The API client's payload converter (its `payloadConverterPath`): the SDK's default, null, binary
 * and JSON in that order, with the JSON one above.
 */
export const payloadConverter = new CompositePayloadConverter(new UndefinedPayloadConverter(), new BinaryPayloadConverter(), new NativeJsonPayloadConverter());
