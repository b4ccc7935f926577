import 'reflect-metadata';
import { ArgumentMetadata } from '@nestjs/common';
import { fastCheckOf } from '@app/contracts';
import { createValidationPipe } from '@app/platform/core';
import { getMetadataStorage } from 'class-validator';
import { fieldLabel } from '../http/field-label';
import { fastListQuery, ListQuery } from './forms.controller';

const fast = createValidationPipe({ fieldLabel });
const full = createValidationPipe({ fieldLabel, fastChecks: false });
const asQuery: ArgumentMetadata = { type: 'query', metatype: ListQuery, data: '' };

/** What a pipe makes of a query: the instance, or the error's code, message and fields. */
async function outcome(pipe: typeof fast, query: unknown): Promise<unknown> {
  try {
    return { ok: await pipe.transform(query, asQuery) };
  } catch (err) {
    const { code, message, details } = err as { code?: string; message: string; details?: unknown };
    return { error: { code, message, details } };
  }
}

/** Every parameter of GET /forms, valid, as the query string parser gives them (text). */
const everything = {
  page: '3',
  pageSize: '200',
  status: 'RETURNED',
  q: 'www4242',
  scope: 'held',
  lifecycle: 'DEREGISTERED',
  requestKind: 'CLOSE',
  orgUnitId: '0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
  after: '1764806400123456_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
};

const VARIANTS: Record<string, unknown[]> = {
  page: ['1', '100000', '100001', '0', '-1', '1.5', '', ' 7 ', '0x10', '1e3', 'abc', ['1', '2'], { a: '1' }],
  pageSize: ['1', '200', '201', '0', '50.0', '', '5e1', ['50']],
  status: ['DRAFT', 'PENDING', 'APPROVED', 'pending', '', ['DRAFT']],
  q: ['', '第12345', '字'.repeat(100), '字'.repeat(101), '😀'.repeat(100), '😀'.repeat(101), ['a', 'b']],
  scope: ['subtree', 'all', '', ['held']],
  lifecycle: ['ACTIVE', 'CLOSED', 'x', ''],
  requestKind: ['CHANGE', 'REOPEN', 'DEREGISTER', 'NONE', 'none', ''],
  orgUnitId: ['0B7F4F52-6C8E-4C6F-9B0E-2F1D1C3B9A10', '0b7f4f52-6c8e-1c6f-9b0e-2f1d1c3b9a10', 'x', ''],
  after: ['1_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10', '123456789012345678_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10', 'x', ''],
  extra: ['1', ''],
};

/** As node's query string parser makes it (no prototype), or as qs does (a plain object). */
const asParsed = (query: Record<string, unknown>, bare: boolean) =>
  bare ? Object.assign(Object.create(null) as Record<string, unknown>, query) : { ...query };

describe('ListQuery (GET /forms): the hand-written check beside class-validator', () => {
  it('knows exactly the decorated parameters, and answers a valid query itself', () => {
    const decorated = getMetadataStorage()
      .getTargetValidationMetadatas(ListQuery, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect(new Set(decorated)).toEqual(new Set(Object.keys(everything)));
    expect(fastCheckOf(ListQuery)).toBe(fastListQuery);
    expect(fastListQuery(asParsed(everything, true))).toBeInstanceOf(ListQuery);
    expect(fastListQuery(asParsed({}, true))).toMatchObject({ page: 1, pageSize: 50 });
    expect(fastListQuery({ scope: 'subtree', extra: '1' })).toBeUndefined();
  });

  it('gives the same query or the same errors as class-validator, parameter by parameter', async () => {
    const cases: Array<Record<string, unknown>> = [everything, {}, { scope: 'subtree', pageSize: '50' }];
    for (const base of [everything, {}])
      for (const [key, values] of Object.entries(VARIANTS))
        for (const value of values) cases.push({ ...base, [key]: value });
    let answered = 0;
    for (const query of cases)
      for (const bare of [true, false]) {
        const [byHand, byDecorators] = [
          await outcome(fast, asParsed(query, bare)),
          await outcome(full, asParsed(query, bare)),
        ];
        expect({ query, outcome: byHand }).toStrictEqual({ query, outcome: byDecorators });
        if (fastListQuery(asParsed(query, bare))) answered += 1;
      }
    expect(answered).toBeGreaterThan(60);
  });
});
