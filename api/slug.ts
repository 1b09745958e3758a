import slugifyText from 'slugify';

/**
 * A readable workflow id from a title: transliterated (ß → ss, Œ → oe), lower case, hyphens,
 * at most 64 characters. Punctuation separates words rather than vanishing (2025/2026).
 */
export function slugify(title: string): string {
  const slug = slugifyText(title.replace(/[^\p{L}\p{N}]+/gu, ' '), { lower: true, strict: true, trim: true })
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug || 'partnership';
}
