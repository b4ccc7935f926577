import { ArgumentMetadata } from '@nestjs/common';
import { fastCheckOf, ListRecordsRequest } from '@app/contracts';
import { getMetadataStorage } from 'class-validator';
import { createValidationPipe } from './validation';

const fast = createValidationPipe();
const full = createValidationPipe({ fastChecks: false });
const asPayload: ArgumentMetadata = { type: 'body', metatype: ListRecordsRequest, data: undefined };

/** What a pipe makes of a value: the instance, or the error's code, message and fields. */
async function outcome(pipe: typeof fast, value: unknown): Promise<unknown> {
  try {
    return { ok: await pipe.transform(value, asPayload) };
  } catch (err) {
    const { code, message, details } = err as { code?: string; message: string; details?: unknown };
    return { error: { code, message, details } };
  }
}

const actor = () => ({
  accountId: '6c1f2a43-0d4e-4b7a-9d8e-2f3a4b5c6d7e',
  username: '130302',
  orgUnitId: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',
  roles: ['ORG'],
});
/** Every field of the request, valid. */
const everything = () => ({
  actor: actor(),
  status: 'PENDING',
  q: '第12345',
  lifecycle: 'ACTIVE',
  requestKind: 'NONE',
  scope: 'subtree',
  page: 2,
  pageSize: 50,
  after: '1764806400123456_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
  orgUnitId: '0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
});
const minimal = () => ({ actor: actor(), scope: 'held', page: 1, pageSize: 50 });

const long = (n: number, char = '字') => char.repeat(n);
/** Each field: values both valid and not, and `absent` for none at all. */
const VARIANTS: Record<string, unknown[]> = {
  status: ['DRAFT', 'APPROVED', 'RETURNED', 'draft', '', null, 1, ['DRAFT'], 'absent'],
  q: ['', 'www4242', long(100), long(101), long(100, '😀'), long(101, '😀'), 5, null, ['a'], 'absent'],
  lifecycle: ['CLOSED', 'DEREGISTERED', 'closed', '', null, 'absent'],
  requestKind: ['CHANGE', 'REOPEN', 'NONE', 'none', null, 'absent'],
  scope: ['held', 'subtree', 'all', '', null, 'absent'],
  page: [1, 100_000, 100_001, 0, -1, 1.5, '1', null, Number.NaN, 'absent'],
  pageSize: [1, 200, 201, 0, 50.5, '50', null, 'absent'],
  after: [
    '1_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
    '1_0B7F4F52-6C8E-4C6F-9B0E-2F1D1C3B9A10',
    'x',
    '',
    5,
    null,
    'absent',
  ],
  orgUnitId: [
    '0B7F4F52-6C8E-4C6F-9B0E-2F1D1C3B9A10',
    '0b7f4f52-6c8e-1c6f-9b0e-2f1d1c3b9a10',
    'not-a-uuid',
    '',
    null,
    'absent',
  ],
  extra: [1, 'x', null],
};
const ACTOR_VARIANTS: Record<string, unknown[]> = {
  accountId: ['6C1F2A43-0D4E-4B7A-9D8E-2F3A4B5C6D7E', '00000000-0000-0000-0000-000000000000', 'x', 1, null, 'absent'],
  username: ['', long(64, 'a'), long(65, 'a'), long(64, '😀'), 7, null, 'absent'],
  orgUnitId: [null, '6c1f2a43-0d4e-1b7a-9d8e-2f3a4b5c6d7e', 'x', 'absent'],
  roles: [[], ['ROOT', 'ORG'], ['ORG', 'ORG', 'ORG', 'ORG', 'ORG'], ['org'], 'ORG', null, [1], 'absent'],
  siteCode: ['130302A001', 'Ab12Cd0001', '130302A00', 1, null],
  extra: [1],
};

/** A deep copy made in this realm (structuredClone's objects would have another Object.prototype). */
const copyOf = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(copyOf)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyOf(item)]))
      : value;

const withField = (base: Record<string, unknown>, key: string, value: unknown) => {
  const copy = { ...base };
  if (value === 'absent') delete copy[key];
  else copy[key] = value;
  return copy;
};

describe('ListRecordsRequest: the hand-written check beside class-validator', () => {
  it('knows exactly the decorated fields, and answers a valid request itself', () => {
    const decorated = getMetadataStorage()
      .getTargetValidationMetadatas(ListRecordsRequest, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect(new Set(decorated)).toEqual(new Set(Object.keys(everything())));
    const check = fastCheckOf(ListRecordsRequest)!;
    expect(check(everything())).toBeInstanceOf(ListRecordsRequest);
    expect(check(minimal())).toBeInstanceOf(ListRecordsRequest);
    expect(check({ ...minimal(), extra: 1 })).toBeUndefined();
  });

  it('gives the same instance or the same errors as class-validator, field by field', async () => {
    const cases: unknown[] = [everything(), minimal(), null, [], 'x', 5, {}];
    for (const base of [everything(), minimal()]) {
      for (const [key, values] of Object.entries(VARIANTS))
        for (const value of values) cases.push(withField(base, key, value));
      for (const [key, values] of Object.entries(ACTOR_VARIANTS))
        for (const value of values) cases.push({ ...base, actor: withField(actor(), key, value) });
      for (const bad of [undefined, null, 'x', [actor()], {}]) cases.push({ ...base, actor: bad });
    }
    cases.push(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(minimal()).slice(1)}`));
    let answered = 0;
    for (const value of cases) {
      const [byHand, byDecorators] = [await outcome(fast, copyOf(value)), await outcome(full, copyOf(value))];
      expect({ value, outcome: byHand }).toStrictEqual({ value, outcome: byDecorators });
      if (fastCheckOf(ListRecordsRequest)!(copyOf(value))) answered += 1;
    }
    // Most valid variants are answered by hand (the rest by the decorators, with the same result).
    expect(answered).toBeGreaterThan(60);
  });
});
