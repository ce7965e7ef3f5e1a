/**
 * Event time has one precision everywhere: microseconds, what PostgreSQL's timestamptz keeps. An
 * occurredAt is spelled in UTC with exactly six fractional digits, so JS compares it as a string
 * (fixed width: string order is time order) and SQL as a timestamptz, and both agree.
 */

/** The form zod's `iso.datetime({ offset: true })` accepts: seconds present, optional fraction, Z or ±HH:MM. */
const ISO_PARTS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `YYYY-MM-DDTHH:MM:SS` in UTC, or undefined outside the years PostgreSQL reads back from this form (it has
 * no year 0000) and four digits can spell. Spelled from the UTC fields: `toISOString()` cost the subscriber
 * about 2 µs per record, more than the rest of the time handling together.
 */
const utcSeconds = (epochMs: number): string | undefined => {
  const d = new Date(epochMs);
  const year = d.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) return undefined;
  return `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * The fields of `YYYY-MM-DDTHH:MM:SS` when it names a real UTC second of the years 0001–9999 as written
 * (no day 31 in April, no hour 24): then it is already its own canonical spelling, and the Date round trip
 * (about a microsecond per subscriber record) is skipped. Undefined otherwise, for the round trip to decide.
 */
const exactUtcFields = (seconds: string): number[] | undefined => {
  const field = (from: number, to: number) => Number(seconds.slice(from, to));
  const fields = [field(0, 4), field(5, 7), field(8, 10), field(11, 13), field(14, 16), field(17, 19)];
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, secs = 0] = fields;
  const monthDays = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return year >= 1 && day >= 1 && day <= monthDays && hours <= 23 && minutes <= 59 && secs <= 59
    ? fields
    : undefined;
};

const formatMicros = (epochMicros: number): string => {
  const ms = Math.floor(epochMicros / 1000);
  const micros = epochMicros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
};

/**
 * The canonical spelling of an ISO-8601 timestamp: UTC, six fractional digits, digits beyond the
 * microsecond dropped. Undefined when the instant falls outside years 0001–9999 in UTC.
 */
const toEventTime = (iso: string): string | undefined => {
  const parts = ISO_PARTS.exec(iso);
  if (parts === null) return undefined;
  const [, seconds = '', fraction = '', zone = ''] = parts;
  const micros = fraction.padEnd(6, '0').slice(0, 6);
  if (zone === 'Z' && exactUtcFields(seconds) !== undefined) return `${seconds}.${micros}Z`;
  const whole = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(whole)) return undefined;
  const utc = utcSeconds(whole);
  return utc === undefined ? undefined : `${utc}.${micros}Z`;
};

/** The instant of a canonical event time, in epoch milliseconds (Date.parse's answer, for less). */
const eventTimeMs = (eventTime: string): number => {
  const f = exactUtcFields(eventTime.slice(0, 19));
  // Date.UTC reads years 0-99 as 19xx: those few are parsed.
  return f === undefined || (f[0] ?? 0) < 100
    ? Date.parse(eventTime)
    : Date.UTC(f[0] ?? 0, (f[1] ?? 1) - 1, f[2], f[3], f[4], f[5], Number(eventTime.slice(20, 23)));
};

/** A source of event times. */
type EventClock = () => string;

/**
 * Event times that strictly increase within one clock (one process): max(now, last + 1 µs). Two
 * submissions in one millisecond, or across a wall-clock step backwards, still get distinct,
 * ordered times, so the later one wins downstream.
 */
const createEventClock = (now: () => number = Date.now): EventClock => {
  // Microseconds since the epoch stay exact in a double (below 2^53) until the year 2255.
  let last = 0;
  return () => {
    last = Math.max(now() * 1000, last + 1);
    return formatMicros(last);
  };
};

export type { EventClock };
export { createEventClock, eventTimeMs, toEventTime };
