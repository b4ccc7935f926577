import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidationError } from 'class-validator';
import {
  createValidationPipe,
  findUnusableInput,
  flattenValidationErrors,
  inChinese,
  MAX_INPUT_DEPTH,
} from './validation';

describe('validation messages', () => {
  it('keeps a Chinese message and translates class-validator defaults', () => {
    expect(inChinese('maxLength', '请输入密码', 'password')).toBe('请输入密码');
    expect(inChinese('maxLength', 'mobile must be shorter than or equal to 20 characters', 'mobile')).toBe(
      'mobile 不能超过 20 个字',
    );
    expect(inChinese('whitelistValidation', 'property extra should not exist', 'extra')).toBe('不支持的字段：extra');
    expect(inChinese('somethingNew', 'x is odd', 'x')).toBe('x 不符合要求');
  });

  it('names nested fields by path', () => {
    const error = Object.assign(new ValidationError(), {
      property: 'units',
      children: [
        Object.assign(new ValidationError(), {
          property: '0',
          children: [
            Object.assign(new ValidationError(), {
              property: 'code',
              value: 5,
              constraints: { isString: 'code must be a string' },
              children: [],
            }),
          ],
        }),
      ],
    });
    expect(flattenValidationErrors([error])).toEqual([{ field: 'units[0].code', message: 'units[0].code 应为文字' }]);
  });
});

describe('unusable input', () => {
  it('finds a NUL in any value or key, by path', () => {
    expect(findUnusableInput({ a: [{ b: 'x\u0000' }] })).toEqual({
      field: 'a[0].b',
      message: 'a[0].b 含有不允许的空字符（U+0000），请删除',
    });
    expect(findUnusableInput('x\u0000', 'q')?.field).toBe('q');
    expect(findUnusableInput({ 'k\u0000': 1 })?.message).toBe('请求中的字段名含有不允许的空字符（U+0000）');
    expect(findUnusableInput({ a: 'ok', b: [1, true, null], c: { d: '\n\u202e' } })).toBeUndefined();
  });

  it('refuses nesting deeper than MAX_INPUT_DEPTH without walking it', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnusableInput({ a: deep })?.message).toBe(`请求内容嵌套超过 ${MAX_INPUT_DEPTH} 层，无法处理`);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) fine = { a: fine };
    expect(findUnusableInput(fine)).toBeUndefined();
  });

  it('is checked by the pipe for every argument, also a body no class describes', async () => {
    const pipe = createValidationPipe();
    await expect(
      pipe.transform({ site: { name: 'a\u0000' } }, { type: 'body', metatype: Object }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'site.name' }],
    });
    await expect(
      pipe.transform('bm\u0000', { type: 'param', data: 'username', metatype: String }),
    ).rejects.toMatchObject({
      details: [{ field: 'username' }],
    });
    // Arguments our own decorators build (the actor) are not request input.
    await expect(pipe.transform({ x: 'a\u0000' }, { type: 'custom', metatype: Object })).resolves.toEqual({
      x: 'a\u0000',
    });
  });
});

describe('one message per field, naming the real problem', () => {
  class Query {
    @IsString() @MaxLength(64) q: string;
    @IsString({ message: '请填写退回理由' })
    @MinLength(2, { message: '退回理由至少2个字' })
    @MaxLength(500)
    reason: string;
    @IsOptional() @IsInt() @Min(1) @Max(10) n?: number;
  }

  const problems = async (value: object) => {
    try {
      await createValidationPipe().transform(value, { type: 'body', metatype: Query });
      return [];
    } catch (error) {
      return (error as { details: unknown[] }).details;
    }
  };

  it('says a missing field is missing (not that it is too long)', async () => {
    expect(await problems({ reason: '理由理由' })).toEqual([{ field: 'q', message: '请填写 q' }]);
    expect(await problems({ q: 'a' })).toEqual([{ field: 'reason', message: '请填写退回理由' }]);
    expect(await problems({ q: 'a', reason: '' })).toEqual([{ field: 'reason', message: '退回理由至少2个字' }]);
  });

  it('names the kind before a bound, and the bound when the kind is right', async () => {
    expect(await problems({ q: 5, reason: '理由理由' })).toEqual([{ field: 'q', message: 'q 应为文字' }]);
    expect(await problems({ q: 'x'.repeat(65), reason: '理由理由' })).toEqual([
      { field: 'q', message: 'q 不能超过 64 个字' },
    ]);
    expect(await problems({ q: 'a', reason: '理由理由', n: 1e20 })).toEqual([{ field: 'n', message: 'n 不能大于 10' }]);
    expect(await problems({ q: 'a', reason: '理由理由', extra: 1 })).toEqual([
      { field: 'extra', message: '不支持的字段：extra' },
    ]);
  });
});
