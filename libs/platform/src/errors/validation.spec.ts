import { ValidationError } from 'class-validator';
import { flattenValidationErrors, inChinese } from './validation';

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
