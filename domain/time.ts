/** Calendar constants and the date format shared by the domain, the workflow and the API. */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** `2026-11-26`: the UTC day of an instant, as agreements and emails name dates. */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
