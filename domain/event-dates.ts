import { z } from 'zod';
import { COMMANDS, COMMAND_NAMES, type CommandName } from './commands';
import { PAST_DATE } from './schemas/common';
import { isoDay } from './time';

/**
 * The fields of each command that date something already done (an interview held, a resolution
 * adopted, a signature given), as its schema marks them (PastDate): a council's clerk records
 * what happened, never what will.
 */
export const PAST_EVENT_DATES: Readonly<Partial<Record<CommandName, readonly string[]>>> = Object.fromEntries(
  COMMAND_NAMES.flatMap((name) => {
    const { properties = {} } = z.toJSONSchema(COMMANDS[name].schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, Record<string, unknown>>;
    };
    const fields = Object.keys(properties).filter((field) => properties[field]![PAST_DATE] === true);
    return fields.length > 0 ? [[name, fields]] : [];
  }),
);

/** Where it is already tomorrow somewhere (UTC+14), today's date there is not in the future yet. */
const EARLIEST_ZONE_AHEAD_MS = 14 * 60 * 60 * 1000;

/**
 * The dates of past events that are later than today anywhere on Earth: one issue each, with its
 * field's path, as zod words its own. A date (YYYY-MM-DD, already checked by the schema) is
 * compared as text.
 */
export function futureEventDates(name: CommandName, body: Readonly<Record<string, unknown>>, now: number): Array<{ path: string[]; message: string }> {
  const latest = isoDay(now + EARLIEST_ZONE_AHEAD_MS);
  return (PAST_EVENT_DATES[name] ?? [])
    .filter((field) => typeof body[field] === 'string' && (body[field] as string) > latest)
    .map((field) => ({
      path: [field],
      message: `${body[field] as string} is in the future: this date records something already done (today is ${isoDay(now)})`,
    }));
}
