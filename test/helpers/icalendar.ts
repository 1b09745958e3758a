/**
 * An iCalendar file read as a calendar client reads it (ical.js, Mozilla's parser), and held to
 * the parts of RFC 5545 that ical.js forgives: CRLF line ends, TEXT escaping (3.3.11), the
 * DURATION grammar (3.3.6), the properties each component requires.
 */
type Ical = typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;
type Component = InstanceType<Ical['Component']>;
const ICAL = require('ical.js') as Ical;

/** TEXT (RFC 5545 3.3.11): no control character but HTAB; `\`, `;` and `,` escaped; `\n` for a line break. */
const TEXT = /^(?:[^\\;,\u0000-\u0008\u000a-\u001f\u007f]|\\[\\;,nN])*$/;
/** dur-value (RFC 5545 3.3.6): P1D, PT1H30M, P2W; not P1DT, not P. */
const DURATION = /^[+-]?P(?:\d+W|\d+D(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))$/;
/** Properties whose value is TEXT, X-WR-CALNAME by the convention every client follows. */
const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'X-WR-CALNAME', 'X-WR-CALDESC']);

export interface ParsedCalendar {
  calendar: Component;
  events: Component[];
  /** Each event's SUMMARY as a client shows it (unescaped). */
  summaries: string[];
  /** X-WR-CALNAME as a client shows it (unescaped). */
  name: string | undefined;
}

/** Unescapes a TEXT value as RFC 5545 reads it. */
const unescapeText = (value: string): string => value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** Parses and checks a calendar; throws, naming the line, at the first departure from RFC 5545. */
export function parseStrictCalendar(text: string): ParsedCalendar {
  if (!text.endsWith('\r\n')) throw new Error('an iCalendar file ends with CRLF');
  if (/(?<!\r)\n|\r(?!\n)/.test(text)) throw new Error('every line of an iCalendar file ends with CRLF');
  const lines = text
    .slice(0, -2)
    .split('\r\n')
    .reduce<string[]>((unfolded, line) => {
      if (/^[ \t]/.test(line)) unfolded[unfolded.length - 1] += line.slice(1);
      else unfolded.push(line);
      return unfolded;
    }, []);
  let name: string | undefined;
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${JSON.stringify(line)}`);
    const [, property, , value] = match as unknown as [string, string, string, string];
    const upper = property.toUpperCase();
    if (TEXT_PROPERTIES.has(upper) && !TEXT.test(value)) throw new Error(`${upper} is not escaped TEXT (RFC 5545 3.3.11): ${JSON.stringify(value)}`);
    if (upper === 'DURATION' && !DURATION.test(value)) throw new Error(`DURATION is not a dur-value (RFC 5545 3.3.6): ${value}`);
    if (upper === 'X-WR-CALNAME') name = unescapeText(value);
  }

  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  if (calendar.name !== 'vcalendar') throw new Error(`the top component is ${calendar.name}, not VCALENDAR`);
  if (calendar.getFirstPropertyValue('version') !== '2.0') throw new Error('VERSION:2.0 is required');
  if (!calendar.getFirstPropertyValue('prodid')) throw new Error('PRODID is required');
  const events = calendar.getAllSubcomponents('vevent');
  for (const event of events) {
    for (const required of ['uid', 'dtstamp', 'dtstart']) {
      if (!event.hasProperty(required)) throw new Error(`a VEVENT without ${required.toUpperCase()}`);
    }
    if (event.hasProperty('dtend') && event.hasProperty('duration')) throw new Error('a VEVENT with both DTEND and DURATION');
    const vevent = new ICAL.Event(event);
    if (vevent.endDate.compare(vevent.startDate) <= 0)
      throw new Error(`a VEVENT ends (${vevent.endDate.toString()}) before it starts (${vevent.startDate.toString()})`);
  }
  return { calendar, events, summaries: events.map((e) => String(e.getFirstPropertyValue('summary') ?? '')), name };
}
