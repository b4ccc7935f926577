import 'reflect-metadata';
import { CreateNodeRequest, LoginRequest, ResetToInitialRequest, ReturnRecordRequest } from '@app/contracts';
import { createValidationPipe } from '@app/platform/core';
import { getMetadataStorage } from 'class-validator';
import { AccountsQuery, AuditQuery, ResetBody } from '../admin/admin.controller';
import { ChangePasswordBody } from '../auth/auth.controller';
import { ListQuery as FormListQuery, ReturnBody } from '../forms/forms.controller';
import { CreateBody, RejectBody } from '../node-requests/node-requests.controller';
import { ContactBody } from '../org-units/org-units.controller';
import { RecoveryBody } from '../public/site-code-recovery.controller';

type Dto = new () => object;

/** Who the bus contracts' requests are made for (every one requires it). */
const ACTOR = {
  accountId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e50',
  username: '130300',
  orgUnitId: null,
  roles: ['ORG'],
};

/** Each DTO with one valid value per field and the Chinese words a message may name it by. */
const DTOS: Array<{ dto: Dto; valid: Record<string, unknown>; labels?: Record<string, string[]> }> = [
  {
    dto: ResetBody,
    valid: {
      contactName: '张三',
      phone: '010-62345678',
      orgUnitName: '某局',
      department: '办公室',
      initialPassword: 'x',
    },
  },
  { dto: AccountsQuery, valid: { q: 'bm01', page: 1, pageSize: 50 } },
  {
    dto: AuditQuery,
    valid: { actor: 'bm0100', action: 'record.approve', from: '2026-01-01', to: '2026-02-01', page: 1, pageSize: 50 },
  },
  { dto: ChangePasswordBody, valid: { currentPassword: 'a', newPassword: 'b' } },
  {
    dto: FormListQuery,
    valid: { status: 'DRAFT', q: '某', scope: 'held', page: 1, pageSize: 50 },
    labels: { q: ['搜索词'] },
  },
  { dto: ReturnBody, valid: { reason: '请修改' }, labels: { reason: ['退回理由'] } },
  { dto: CreateBody, valid: { name: '某局', code: '110199', reason: '新设' } },
  { dto: RejectBody, valid: { reason: '不符合' } },
  {
    dto: ContactBody,
    valid: { name: '张三', officePhone: '010-62345678', mobile: '13800138000', email: 'a@b.cn', department: '办公室' },
  },
  {
    dto: RecoveryBody,
    valid: { siteName: '某网站', homepageUrl: 'http://www.a.gov.cn', personName: '张三', email: 'a@b.cn' },
    labels: { siteName: ['网站名称'], homepageUrl: ['首页网址'], personName: ['姓名'], email: ['电子邮箱'] },
  },
  {
    dto: LoginRequest,
    valid: { username: 'bm0100', password: 'x' },
    labels: { username: ['账号'], password: ['密码'] },
  },
  {
    dto: CreateNodeRequest,
    valid: { actor: ACTOR, name: '某局', code: '110199', reason: '新设' },
    labels: { name: ['单位名称'], reason: ['申请理由', '理由'] },
  },
  {
    dto: ReturnRecordRequest,
    valid: { actor: ACTOR, id: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', reason: '请修改' },
    labels: { reason: ['退回理由'] },
  },
  {
    dto: ResetToInitialRequest,
    valid: {
      actor: ACTOR,
      username: 'bm0100',
      contactName: '张三',
      phone: '1',
      orgUnitName: '某局',
      department: '办公室',
      initialPassword: 'x',
    },
  },
];

/** A value breaking one constraint, by the constraint's name (undefined: not generated). */
function breaking(type: string, args: unknown[]): unknown {
  switch (type) {
    case 'maxLength':
      return 'x'.repeat(Number(args[0]) + 1);
    case 'minLength':
      return Number(args[0]) > 1 ? 'x' : undefined;
    case 'isString':
      return 5;
    case 'max':
      return Number(args[0]) * 10;
    case 'min':
      return Number(args[0]) - 1;
    case 'isInt':
      return 1.5;
    case 'isIn':
      return 'NOPE';
    case 'isDateTimeInRange':
      return '0000-01-01';
    case 'noControlCharacters':
      return '某\u202e局';
    default:
      return undefined;
  }
}

async function messageFor(
  dto: Dto,
  value: Record<string, unknown>,
): Promise<Array<{ field: string; message: string }>> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype: dto });
    return [];
  } catch (error) {
    return (error as { details: Array<{ field: string; message: string }> }).details;
  }
}

describe('every validation message names its own field', () => {
  const cases = DTOS.flatMap(({ dto, valid, labels }) => {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const fields = [...new Set(metadata.map((m) => m.propertyName))].filter((f) => f !== 'actor');
    return fields.flatMap((field) => {
      const names = [field, ...(labels?.[field] ?? [])];
      const broken = metadata
        .filter((m) => m.propertyName === field)
        .map((m) => ({
          type: m.name ?? m.constraintCls?.name ?? m.type,
          value: breaking(m.name ?? m.type, m.constraints ?? []),
        }))
        .filter((c) => c.value !== undefined);
      const rows: Array<[string, string, Dto, Record<string, unknown>, string[]]> = broken.map((c) => [
        `${dto.name}.${field}`,
        String(c.type),
        dto,
        { ...valid, [field]: c.value },
        names,
      ]);
      const optional = metadata.some((m) => m.propertyName === field && m.type === 'conditionalValidation');
      const defaulted = field === 'page' || field === 'pageSize';
      if (!optional && !defaulted) {
        const without = { ...valid };
        delete without[field];
        rows.push([`${dto.name}.${field}`, 'missing', dto, without, names]);
      }
      return rows;
    });
  });

  it.each(cases)('%s: %s', async (_name, _constraint, dto, value, names) => {
    const problems = await messageFor(dto, value);
    expect(problems).toHaveLength(1);
    expect(names).toContain(problems[0].field);
    expect(names.some((name) => problems[0].message.includes(name))).toBe(true);
  });

  it('covers every DTO listed', () => {
    expect(new Set(cases.map((c) => c[2])).size).toBe(DTOS.length);
  });
});
