import { utf8ToBytes } from '@noble/hashes/utils';
import { sha256Hex } from './fingerprint';

/**
 * The claim check. Text a person writes at length (a draft, feedback comments, review findings,
 * notes) never enters the workflow state: it is stored once in the register's database, addressed
 * by its SHA-256 and scoped to the partnership, and the command carries this reference instead
 * (a short text travels beside it to the worker, which stores it: INLINE_TEXT_BYTES). The
 * workflow state keeps the reference; the full text is served by
 * `GET /partnerships/:id/contents/:sha256`.
 */
export interface ContentRef {
  /** SHA-256 of the text's UTF-8 bytes, lower-case hex: its address in the register. */
  sha256: string;
  /** The text's length in UTF-8 bytes. */
  size: number;
  /** The first EXCERPT_CHARS characters, whitespace collapsed, with … when cut. */
  excerpt: string;
}

/** How much of a text the state and the page show before the link to the whole. */
export const EXCERPT_CHARS = 200;

/** The excerpt of a text: runs of whitespace (new lines included) become one space. */
export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  let cut = flat.slice(0, EXCERPT_CHARS);
  // Never half a surrogate pair (an emoji, say) at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

export const utf8Size = (text: string): number => utf8ToBytes(text).length;

/**
 * The reference to a text; pure JavaScript by default, so that workflow code may call it. Outside
 * the workflow (the API) `hash` may be node:crypto's SHA-256: the same digest, several times faster.
 */
export const contentRef = (text: string, hash: (text: string) => string = sha256Hex): ContentRef => ({
  sha256: hash(text),
  size: utf8Size(text),
  excerpt: excerptOf(text),
});

/**
 * The normaliser of replayed history: commands recorded before the claim check carry the text
 * itself; the appliers turn it into the reference a command carries today.
 */
export const asContentRef = (value: string | ContentRef): ContentRef => (typeof value === 'string' ? contentRef(value) : value);

/** A text to store once in the register, under its SHA-256. */
export interface StoredContent {
  sha256: string;
  size: number;
  body: string;
}

/**
 * A text this short travels with its command, in the update (so in the run's history, never in
 * the state), and the worker stores it in the transaction of the command's register row: a
 * paragraph, not a document. Longer texts are stored by the API before the command is sent, a
 * commit each command would otherwise wait for.
 */
export const INLINE_TEXT_BYTES = 1024;

/** What the state view shows of a content: the reference and where to read the whole. */
export interface ContentView extends ContentRef {
  url: string;
}

export const contentPath = (partnershipId: string, sha256: string): string => `/partnerships/${partnershipId}/contents/${sha256}`;

export const contentView = (partnershipId: string, ref: ContentRef): ContentView => ({ ...ref, url: contentPath(partnershipId, ref.sha256) });
