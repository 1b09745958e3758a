/**
 * activities/notifications/render.ts: renderNotification for every event of
 * domain/notifications.ts NOTIFICATION_EVENTS in French and English.
 *
 * | case                                          | expects                                          |
 * |-----------------------------------------------|--------------------------------------------------|
 * | every event x language                        | non-empty one-line subject; text and html parts; |
 * |                                               | no unrendered {{ }}; html lang = language        |
 * | every event x language                        | the partnership title in the subject and body,   |
 * |                                               | the link to act in the body                      |
 * | formal events (notice, withdrawal, dissolved) | both languages, the recipient's first            |
 * | dates                                         | formatted for people in each language            |
 * | checklist paragraph                           | a <ul> in html                                   |
 * | every event                                   | French and English differ                        |
 * | title '<script>x</script>'                    | escaped in html (body and <title>), raw in text  |
 * | party name with & and quotes                  | escaped in html                                  |
 * | CR/LF in a title                              | subject stays on one line                        |
 * | template syntax in user text                  | printed, not evaluated                           |
 * | text part                                     | paragraphs, then the "-- " signature             |
 */
import { renderNotification } from '../../activities/notifications/render';
import { FORMAL_EVENTS, NOTIFICATION_EVENTS } from '../../domain/notifications';

const LANGUAGES = ['fr', 'en'] as const;
const TITLE = 'Water services: Town of Riverside and Maple First Nation';

const data = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: TITLE,
  partyName: 'Maple First Nation',
  subject: 'participation',
  outcome: 'adopted',
  resolutionNumber: '2025-042',
  adoptedOn: '2025-02-10',
  count: 3,
  reason: 'the council declined',
  link: 'https://entente.example/partnerships/water',
  ...overrides,
});

const cases = NOTIFICATION_EVENTS.flatMap((event) => LANGUAGES.map((language) => [event, language] as const));

describe('every event in every language', () => {
  test('there are events to render', () => {
    expect(cases.length).toBe(NOTIFICATION_EVENTS.length * 2);
    expect(NOTIFICATION_EVENTS.length).toBeGreaterThanOrEqual(8);
  });

  test.each(cases)('%s (%s): one-line subject, text and html', (event, language) => {
    const message = renderNotification(event, language, data());
    expect(message.subject.trim().length).toBeGreaterThan(0);
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.subject).toBe(message.subject.trim());
    for (const part of [message.subject, message.text, message.html]) {
      expect(part).not.toMatch(/\{\{|\}\}|\{%|%\}/);
    }
    expect(message.text.trim().length).toBeGreaterThan(0);
    expect(message.html).toContain(`<html lang="${language}">`);
    expect(message.html).toMatch(/<p>[^<]+<\/p>/);
  });

  test.each(cases)('%s (%s): names the partnership', (event, language) => {
    const message = renderNotification(event, language, data());
    expect(message.subject).toContain(TITLE);
    expect(message.text).toContain(TITLE);
    expect(message.text).toContain('https://entente.example/partnerships/water');
  });

  test.each(NOTIFICATION_EVENTS.map((e) => [e]))('%s: French and English differ', (event) => {
    const fr = renderNotification(event, 'fr', data());
    const en = renderNotification(event, 'en', data());
    expect(fr.subject).not.toBe(en.subject);
    expect(fr.text).not.toBe(en.text);
  });

  test('variables are filled in', () => {
    const reminder = renderNotification('resolution-reminder', 'en', data({ count: 2 }));
    expect(reminder.subject).toBe(`Reminder 2: resolution still missing from Maple First Nation (${TITLE})`);
    expect(reminder.text).toContain('https://entente.example/partnerships/water');
    const recorded = renderNotification('resolution-recorded', 'fr', data());
    expect(recorded.text).toContain('2025-042');
    expect(recorded.text).toContain('du 10 février 2025');
    const abandoned = renderNotification('process-abandoned', 'en', data());
    expect(abandoned.text).toContain('the council declined');
  });
});

describe('escaping user text', () => {
  const hostile = '<script>x</script>';

  test.each(cases)('%s (%s): a hostile title is escaped in html and raw in text', (event, language) => {
    const message = renderNotification(event, language, data({ title: hostile }));
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(message.text).toContain(hostile);
    expect(message.subject).toContain(hostile);
  });

  test('the subject in the html <title> is escaped too', () => {
    const message = renderNotification('intake-accepted', 'en', data({ title: hostile }));
    expect(message.html).toMatch(/<title>[^<]*&lt;script&gt;x&lt;\/script&gt;[^<]*<\/title>/);
  });

  test('ampersands and quotes in a party name are escaped in html', () => {
    const message = renderNotification('resolution-requested', 'en', data({ partyName: 'Smith & "Sons" <Ltd>' }));
    expect(message.html).toContain('Smith &amp; &quot;Sons&quot; &lt;Ltd&gt;');
    expect(message.html).not.toContain('<Ltd>');
    expect(message.text).toContain('Smith & "Sons" <Ltd>');
  });

  test('a title with CR/LF gives a one-line subject', () => {
    const message = renderNotification('intake-accepted', 'en', data({ title: 'Water\r\nBcc: everyone@example.org' }));
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.subject).toBe('Application accepted: Water Bcc: everyone@example.org');
  });

  test('template syntax in user text is printed, not evaluated', () => {
    const message = renderNotification('intake-accepted', 'en', data({ title: '{{ link }} {% if true %}yes{% endif %}' }));
    expect(message.subject).toBe('Application accepted: {{ link }} {% if true %}yes{% endif %}');
    expect(message.text).toContain('"{{ link }} {% if true %}yes{% endif %}"');
    expect(message.text.match(/https:\/\/entente\.example/g)).toHaveLength(1);
  });
});

describe('formal notices and dates', () => {
  test.each(FORMAL_EVENTS.flatMap((e) => LANGUAGES.map((l) => [e, l] as const)))("%s (%s): both languages, the recipient's first", (event, language) => {
    const message = renderNotification(event, language, data());
    const other = language === 'fr' ? 'en' : 'fr';
    const own = renderNotification('intake-accepted', language, data());
    expect(own.html).not.toContain(`<div lang="${other}">`);
    const first = message.html.indexOf(`<div lang="${language}">`);
    const second = message.html.indexOf(`<div lang="${other}">`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(message.subject.split(' / ')).toHaveLength(2);
    expect(message.text).toContain('\n\n----\n\n');
  });

  test('dates are written for people in each language', () => {
    const fr = renderNotification('signed', 'fr', data({ effectiveOn: '2025-03-01', endsOn: '2027-02-28' }));
    expect(fr.text).toContain('à compter du 1er mars 2025 jusqu’au 28 février 2027');
    const en = renderNotification('signed', 'en', data({ effectiveOn: '2025-03-01', endsOn: '2027-02-28' }));
    expect(en.text).toContain('from March 1, 2025 until February 28, 2027');
  });

  test('a date-time is shown as its day in the configured time zone', () => {
    const utc = renderNotification('consultation-closing', 'en', data({ draftVersion: 2, closesAt: '2025-04-01T02:00:00.000Z' }));
    expect(utc.subject).toContain('April 1, 2025');
    const toronto = renderNotification('consultation-closing', 'en', data({ draftVersion: 2, closesAt: '2025-04-01T02:00:00.000Z' }), {
      timeZone: 'America/Toronto',
    });
    expect(toronto.subject).toContain('March 31, 2025');
  });

  test('the dissolution checklist is a list in html and lines in text', () => {
    const message = renderNotification('dissolved', 'en', data({ endedOn: '2026-01-31' }));
    expect(message.html.match(/<li>/g)).toHaveLength(8);
    expect(message.text).toContain('\n- document the history of the partnership');
  });
});

describe('layout', () => {
  test('the text part is the paragraphs then the signature', () => {
    const message = renderNotification('intake-accepted', 'en', data());
    const paragraphs = message.text.split('\n\n');
    expect(paragraphs[0]).toBe(`The application for "${TITLE}" has been accepted after the interview.`);
    expect(paragraphs[1]).toBe('Each governing body will now be asked to adopt a resolution to participate.');
    expect(message.text.endsWith('\n\n-- \nEntente\n')).toBe(true);
  });

  test('the link to act is clickable in html, and only that link', () => {
    const message = renderNotification('resolution-requested', 'en', data({ partyName: 'http://evil.example' }));
    expect(message.html).toContain('<a href="https://entente.example/partnerships/water">https://entente.example/partnerships/water</a>');
    expect(message.html.match(/<a /g)).toHaveLength(1);
    expect(message.html).not.toContain('href="http://evil.example"');
  });

  test('the html part has one <p> per paragraph plus the signature', () => {
    const message = renderNotification('intake-accepted', 'fr', data());
    expect(message.html.match(/<p[ >]/g)).toHaveLength(4);
    expect(message.html).toContain('<!doctype html>');
  });
});
