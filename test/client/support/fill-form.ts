// Fills the editor like a person: by the fields' Chinese labels, drop-downs by option label.
import { Page } from 'playwright-core';

export type FieldValues = Record<string, string>;

/** Every required field of a valid form, keyed by full label. Enum values are option labels. */
export function validValues(siteName: string, fillerUnit: string): FieldValues {
  return {
    网站名称: siteName,
    首页网址: 'http://www.e2e.example.gov.cn',
    网站类型: '部门网站',
    网站类别: '本级部门',
    主办单位: '某某市交通运输局',
    办公地址: '某某市人民路1号',
    运行状态: '正常',
    填报单位: fillerUnit,
    负责人姓名: '张伟',
    负责人职务: '局长',
    负责人办公电话: '０１０－６２３４５６７８',
    负责人手机: '13800138000',
    负责人电子邮箱: 'zhangwei@example.gov.cn',
    联系人姓名: '李娜',
    联系人办公电话: '010-87654321-123',
    联系人手机: '13900139000',
    联系人电子邮箱: 'lina@example.gov.cn',
  };
}

const SELECTS = new Set(['网站类型', '网站类别', '运行状态']);

export async function fillFields(page: Page, values: FieldValues): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    const field = page.getByLabel(label, { exact: true });
    if (SELECTS.has(label) || label.endsWith('的类别')) await field.selectOption({ label: value });
    else await field.fill(value);
  }
}

/** The error shown next to a field (its aria-describedby target), or null when none. */
export async function errorNextTo(page: Page, label: string): Promise<string | null> {
  const describedBy = await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby');
  if (!describedBy) return null;
  return page.locator(`[id="${describedBy}"]`).textContent();
}
