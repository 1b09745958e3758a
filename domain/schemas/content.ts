import { z } from 'zod';
import { EXCERPT_CHARS } from '../content';
import { SHA256_HEX, SHA256_RULE } from '../patterns';

export const Sha256 = z.string().regex(SHA256_HEX, SHA256_RULE);

/**
 * The reference as the workflow receives it, for a field whose text may have at most `maxChars`
 * characters (zod counts code points, as `[...text].length`): each takes at most 4 bytes in UTF-8.
 */
export const contentRefField = (maxChars: number) =>
  z.strictObject({
    sha256: Sha256,
    size: z
      .int()
      .min(1)
      .max(maxChars * 4),
    excerpt: z.string().max(EXCERPT_CHARS + 1),
  });
