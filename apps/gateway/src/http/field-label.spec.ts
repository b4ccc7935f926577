import 'reflect-metadata';
import { createValidationPipe } from '@app/platform/core';
import { ResetBody } from '../admin/admin.controller';
import { ContactBody } from '../org-units/org-units.controller';
import { fieldLabel } from './field-label';

describe('Chinese field names in validation messages', () => {
  it('takes the start of the API description, or a known name', () => {
    expect(fieldLabel(ContactBody, 'name')).toBe('联系人姓名');
    expect(fieldLabel(ResetBody, 'contactName')).toBe('联系人姓名');
    expect(fieldLabel(ContactBody, 'officePhone')).toBe('办公电话');
    expect(fieldLabel(String, 'username')).toBe('账号');
    expect(fieldLabel(ContactBody, 'nope')).toBeUndefined();
  });

  it('names the field of a NUL in Chinese', async () => {
    const pipe = createValidationPipe({ fieldLabel });
    await expect(pipe.transform({ name: '张\u0000三' }, { type: 'body', metatype: ContactBody })).rejects.toMatchObject(
      {
        details: [{ field: 'name', message: '联系人姓名（name）含有不允许的空字符（U+0000），请删除' }],
      },
    );
  });
});
