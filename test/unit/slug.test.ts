/**
 * api/slug.ts: slugify.
 *
 * | case                                   | expects                                               |
 * |----------------------------------------|-------------------------------------------------------|
 * | accents                                | dropped ('Entente à Québec' → 'entente-a-quebec')    |
 * | punctuation and spaces                 | one hyphen per run, none at the ends                  |
 * | long titles                            | at most 64 characters, no trailing hyphen after cut   |
 * | nothing usable                         | 'partnership'                                         |
 * | any title                              | matches the Slug schema                               |
 */
import { slugify } from '../../api/slug';
import { Slug } from '../../domain/schemas/common';

describe('slugify', () => {
  test.each([
    ['Entente à Québec', 'entente-a-quebec'],
    ['Water services: Town of Riverside and Maple First Nation', 'water-services-town-of-riverside-and-maple-first-nation'],
    ['Première Nation de Wôlinak', 'premiere-nation-de-wolinak'],
    ['  --Hello,   World!--  ', 'hello-world'],
    ['ÇA VA? Ça va.', 'ca-va-ca-va'],
    ['Services 2025/2026', 'services-2025-2026'],
    ['already-a-slug', 'already-a-slug'],
    ['naïve café Noël', 'naive-cafe-noel'],
  ])('%j → %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  test.each(['', '   ', '!!!', '---', '漢字だけ', '🙂🙂'])('%j has nothing usable and becomes "partnership"', (title) => {
    expect(slugify(title)).toBe('partnership');
  });

  test('a long title is cut to at most 64 characters', () => {
    const slug = slugify('Entente intermunicipale de services partagés '.repeat(5));
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(slug.startsWith('entente-intermunicipale-de-services-partages-')).toBe(true);
  });

  test('a cut that falls on a hyphen leaves no trailing hyphen', () => {
    // 63 letters then a space: the 64th character would be a hyphen.
    const slug = slugify(`${'a'.repeat(63)} bcd`);
    expect(slug).toBe('a'.repeat(63));
  });

  test('a cut that falls inside a word keeps 64 characters', () => {
    const slug = slugify('b'.repeat(100));
    expect(slug).toBe('b'.repeat(64));
  });

  test.each([
    'Entente à Québec',
    `${'é'.repeat(63)} x`,
    '-'.repeat(10) + 'x' + '-'.repeat(100),
    'A'.repeat(200),
    'Ville de Saint-Jean-sur-Richelieu & MRC du Haut-Richelieu — entente de services de sécurité incendie',
    '  !@#$ mixed__Case  with\ttabs\nand lines ',
    '',
  ])('%j: a valid slug, at most 64 characters, no hyphen at either end', (title) => {
    const slug = slugify(title);
    expect(slug.length).toBeGreaterThan(0);
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(slug).not.toMatch(/^-|-$/);
    expect(slug).not.toMatch(/--/);
    expect(slug).toMatch(/^[a-z0-9-]+$/);
    expect(Slug.safeParse(slug).success).toBe(true);
  });
});

test('letters without a decomposable accent are transliterated, not dropped', () => {
  expect(slugify('Straße Œuvre Łódź Ærø')).toBe('strasse-oeuvre-lodz-aero');
});
