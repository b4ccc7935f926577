import { isDateTimeInRange } from './date-time';

describe('date filters', () => {
  it.each(['2026-05-01', '2026-05-01T00:00:00+08:00', '2026-05-01T08:00:00.123Z', '2000-01-01', '2100-12-31T23:59'])(
    'takes %s',
    (value) => expect(isDateTimeInRange(value)).toBe(true),
  );

  it.each([
    '0000-01-01',
    '1999-12-31',
    '2101-01-01',
    '2026-02-30',
    '2026-13-01',
    '2026-W01',
    '2026-001',
    '+002026-01-01',
    '2026-05-01T25:00',
    'yesterday',
    '',
  ])('refuses %s (PostgreSQL refuses it, or it is outside 2000–2100)', (value) =>
    expect(isDateTimeInRange(value)).toBe(false),
  );
});
