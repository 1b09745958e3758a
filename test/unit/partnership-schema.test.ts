/**
 * domain/schemas/partnership.ts: StartPartnership.
 *
 * | case                                              | expects                                         |
 * |---------------------------------------------------|-------------------------------------------------|
 * | the fixture                                       | accepted, unchanged                             |
 * | fixture with a slug and duration overrides        | accepted                                        |
 * | surrounding whitespace in a title                 | trimmed                                         |
 * | duplicate party id (2nd, 3rd position)            | rejected at parties.N.id                        |
 * | CR/LF or other control characters in names        | rejected at the field                           |
 * | unknown field at top, party, contact, durations   | rejected                                        |
 * | bad or zero durations                             | rejected at durations.<key>                     |
 * | fewer than 2 parties, bad party id, bad email     | rejected                                        |
 * | unknown template, signatory without title, slug   | rejected                                        |
 */
import { StartPartnership } from '../../domain/schemas/partnership';
import { startRequest } from '../helpers/fixtures';

type Json = Record<string, any>;

/** A deep copy of the fixture as plain JSON, as it would arrive over HTTP. */
const body = (): Json => JSON.parse(JSON.stringify(startRequest())) as Json;

function issuePaths(value: unknown): string[] {
  const result = StartPartnership.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => i.path.join('.'));
}

function expectRejectedAt(value: unknown, path: string): void {
  const result = StartPartnership.safeParse(value);
  expect(result.success).toBe(false);
  expect(issuePaths(value)).toContain(path);
}

describe('valid requests', () => {
  test('the fixture is accepted as is', () => {
    const result = StartPartnership.safeParse(body());
    expect(result.success).toBe(true);
    expect(result.data).toEqual(startRequest());
  });

  test('a slug and duration overrides are accepted', () => {
    const value = { ...body(), slug: 'water-riverside-maple', durations: { term: 'P2Y', noticePeriod: '90 days', resolutionReminderEvery: '7d' } };
    const result = StartPartnership.safeParse(value);
    expect(result.success).toBe(true);
    expect(result.data?.durations).toEqual({ term: 'P2Y', noticePeriod: '90 days', resolutionReminderEvery: '7d' });
  });

  test('names are trimmed', () => {
    const value = body();
    value.title = '  Water services  ';
    expect(StartPartnership.parse(value).title).toBe('Water services');
  });

  test('three parties with distinct ids are accepted', () => {
    const value = body();
    value.parties.push({ ...value.parties[0], id: 'oak-valley' });
    expect(StartPartnership.safeParse(value).success).toBe(true);
  });
});

describe('duplicate party ids', () => {
  test('the second occurrence is named at parties.1.id', () => {
    const value = body();
    value.parties[1].id = 'riverside';
    expectRejectedAt(value, 'parties.1.id');
    const issue = StartPartnership.safeParse(value).error!.issues.find((i) => i.path.join('.') === 'parties.1.id')!;
    expect(issue.message).toContain('riverside');
    expect(issuePaths(value)).not.toContain('parties.0.id');
  });

  test('with three parties, the third occurrence is named at parties.2.id', () => {
    const value = body();
    value.parties.push({ ...value.parties[0], id: 'maple' });
    expect(issuePaths(value)).toEqual(['parties.2.id']);
  });
});

describe('single-line fields refuse control characters', () => {
  test.each([
    ['title', (v: Json) => (v.title = 'Water\r\nBcc: everyone@example.org')],
    ['title', (v: Json) => (v.title = 'Water\nservices')],
    ['coordinator.name', (v: Json) => (v.coordinator.name = 'A.\rTremblay')],
    ['parties.0.legalName', (v: Json) => (v.parties[0].legalName = 'Town of\nRiverside')],
    ['parties.1.governingBody', (v: Json) => (v.parties[1].governingBody = 'Band\u0000council')],
    ['parties.0.contacts.signatory.title', (v: Json) => (v.parties[0].contacts.signatory.title = 'Mayor\r\nX-Evil: 1')],
    ['parties.1.contacts.clerk.name', (v: Json) => (v.parties[1].contacts.clerk.name = 'Gilles\tGreffier')],
  ])('%s', (path, mutate) => {
    const value = body();
    mutate(value);
    expectRejectedAt(value, path);
  });

  test('a multi-line purpose may hold line breaks', () => {
    const value = body();
    value.purpose = 'First line.\n\nSecond paragraph.';
    expect(StartPartnership.safeParse(value).success).toBe(true);
  });
});

describe('unknown fields are refused', () => {
  test.each([
    ['top level', (v: Json) => (v.owner = 'x'), ''],
    ['coordinator', (v: Json) => (v.coordinator.phone = '555'), 'coordinator'],
    ['party', (v: Json) => (v.parties[0].budget = 10), 'parties.0'],
    ['contacts', (v: Json) => (v.parties[0].contacts.treasurer = v.parties[0].contacts.clerk), 'parties.0.contacts'],
    ['durations', (v: Json) => (v.durations = { forever: '1 day' }), 'durations'],
  ])('%s', (_label, mutate, path) => {
    const value = body();
    mutate(value);
    const result = StartPartnership.safeParse(value);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.code === 'unrecognized_keys');
    expect(issue).toBeDefined();
    expect(issue!.path.join('.')).toBe(path);
  });
});

describe('durations', () => {
  test.each(['forever', '', '0 days', 'P0D', '-14 days', '1.5 months', '14', 'P', 'PT'])('%j is refused', (text) => {
    const value = { ...body(), durations: { noticePeriod: text } };
    expectRejectedAt(value, 'durations.noticePeriod');
  });

  test('a very long duration text is refused', () => {
    const value = { ...body(), durations: { term: `${'1'.repeat(40)} days` } };
    expectRejectedAt(value, 'durations.term');
  });

  test('a non-string duration is refused', () => {
    expectRejectedAt({ ...body(), durations: { term: 24 } }, 'durations.term');
  });
});

describe('other rules', () => {
  test('at least two parties', () => {
    const value = body();
    value.parties = value.parties.slice(0, 1);
    expectRejectedAt(value, 'parties');
  });

  test.each(['Riverside', 'river side', '-riverside', 'riverside-', 'x'.repeat(41), ''])('party id %j is refused', (id) => {
    const value = body();
    value.parties[0].id = id;
    expectRejectedAt(value, 'parties.0.id');
  });

  test('an invalid email is refused', () => {
    const value = body();
    value.parties[1].contacts.champion.email = 'not-an-email';
    expectRejectedAt(value, 'parties.1.contacts.champion.email');
  });

  test('an unknown template is refused', () => {
    expectRejectedAt({ ...body(), template: 'handshake' }, 'template');
  });

  test('a signatory needs a title', () => {
    const value = body();
    delete value.parties[0].contacts.signatory.title;
    expectRejectedAt(value, 'parties.0.contacts.signatory.title');
  });

  test('the coordinator needs a language', () => {
    const value = body();
    delete value.coordinator.language;
    expectRejectedAt(value, 'coordinator.language');
  });

  test.each(['Water', 'water_services', '-water', 'water-', 'x'.repeat(65)])('slug %j is refused', (slug) => {
    expectRejectedAt({ ...body(), slug }, 'slug');
  });

  test('a blank title is refused', () => {
    expectRejectedAt({ ...body(), title: '   ' }, 'title');
  });
});
