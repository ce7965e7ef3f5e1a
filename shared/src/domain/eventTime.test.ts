import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventClock, eventTimeMs, toEventTime } from './eventTime.ts';

/** Microseconds since the epoch stay exact integers (below 2^53) across these years. */
const FROM_1700_MS = Date.UTC(1700, 0, 1);
const UNTIL_2200_MS = Date.UTC(2200, 0, 1);

describe('createEventClock', () => {
  it('counts on by one microsecond while the wall clock stands still', () => {
    const clock = createEventClock(() => Date.parse('2026-01-01T00:00:00.999Z'));
    expect([clock(), clock(), clock()]).toEqual([
      '2026-01-01T00:00:00.999000Z',
      '2026-01-01T00:00:00.999001Z',
      '2026-01-01T00:00:00.999002Z',
    ]);
  });

  it('never goes back when the wall clock does, and follows it again once it is ahead', () => {
    const readings = [5_000, 4_000, 4_000, 6_000];
    const clock = createEventClock(() => readings.shift() ?? 0);
    expect([clock(), clock(), clock(), clock()]).toEqual([
      '1970-01-01T00:00:05.000000Z',
      '1970-01-01T00:00:05.000001Z',
      '1970-01-01T00:00:05.000002Z',
      '1970-01-01T00:00:06.000000Z',
    ]);
  });

  it('spells every time in the canonical form, which reads back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: UNTIL_2200_MS }), { minLength: 1 }), (walls) => {
        const readings = [...walls];
        const clock = createEventClock(() => readings.shift() ?? 0);
        const times = walls.map(() => clock());
        for (const t of times) {
          expect(toEventTime(t)).toBe(t);
          expect(eventTimeMs(t)).toBe(Date.parse(t));
        }
        expect([...times].sort()).toEqual(times);
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe('toEventTime', () => {
  it('orders as strings exactly as the instants it spells', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM_1700_MS * 1000, max: UNTIL_2200_MS * 1000 }),
        fc.integer({ min: FROM_1700_MS * 1000, max: UNTIL_2200_MS * 1000 }),
        (a, b) => {
          const spell = (us: number) => {
            const ms = Math.floor(us / 1000);
            return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
          };
          const [ta, tb] = [toEventTime(spell(a)), toEventTime(spell(b))];
          expect(ta !== undefined && tb !== undefined).toBe(true);
          expect(Math.sign(a - b)).toBe(ta === tb ? 0 : (ta ?? '') > (tb ?? '') ? 1 : -1);
        },
      ),
      { numRuns: 500, seed: 2 },
    );
  });

  it('spells every instant as the Date round trip does, whatever its zone, and refuses the years it cannot', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })),
        fc.tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
        ),
        fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
        fc.constantFrom('Z', 'Z', 'Z', '+00:00', '-01:00', '+14:00', '-12:30', '+05:45'),
        (year, [month, day], [h, m, s], fraction, zone) => {
          const seconds = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(h)}:${two(m)}:${two(s)}`;
          const iso = `${seconds}${fraction === undefined ? '' : `.${fraction}`}${zone}`;
          // The reference: the Date round trip, and PostgreSQL's years.
          const whole = Date.parse(`${seconds}${zone}`);
          if (Number.isNaN(whole)) return expect(toEventTime(iso)).toBeUndefined();
          const spelled = `${new Date(whole).toISOString().slice(0, 19)}.${(fraction ?? '').padEnd(6, '0').slice(0, 6)}Z`;
          const canonical = /^(?!0000)\d{4}-/.test(spelled) ? spelled : undefined;
          expect(toEventTime(iso)).toBe(canonical);
          if (canonical !== undefined) expect(eventTimeMs(canonical)).toBe(Date.parse(canonical));
        },
      ),
      { numRuns: 5000, seed: 3 },
    );
  });

  it.each([
    ['1900-02-29T00:00:00Z', '1900-03-01T00:00:00.000000Z'],
    ['2100-02-29T10:00:00.5Z', '2100-03-01T10:00:00.500000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000000Z'],
    ['2024-02-29T23:59:59.1234567Z', '2024-02-29T23:59:59.123456Z'],
    ['2026-04-31T00:00:00Z', '2026-05-01T00:00:00.000000Z'],
    ['2026-12-31T24:00:00Z', '2027-01-01T00:00:00.000000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000000Z'],
    ['0099-12-31T23:59:59.999Z', '0099-12-31T23:59:59.999000Z'],
  ])('spells %s as %s (leap years, rollover, early years)', (iso, spelled) => {
    expect(toEventTime(iso)).toBe(spelled);
    expect(eventTimeMs(spelled)).toBe(Date.parse(spelled));
  });

  it.each(['0000-12-31T23:59:59Z', '9999-12-31T23:59:59-01:00', 'not a time'])('refuses %s', (iso) => {
    expect(toEventTime(iso)).toBeUndefined();
  });
});
