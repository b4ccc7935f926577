import { ORG_UNIT_KIND_LABELS, OrgUnitRecord, UnitCredential } from '@app/contracts';
// exceljs (≈150 modules, ≈35 MiB resident) is loaded on the first workbook, not at boot.

export const WORKBOOK_COLUMNS = ['单位名称', '单位代码', '账号', '初始密码', '上级单位', '层级'] as const;

export function workbookName(parentName: string): string {
  return `${parentName}下级单位账号.xlsx`;
}

/**
 * The account workbook a parent unit hands to its children: one row per child with its
 * account and initial password. Text cells throughout, so codes like 110000 keep their
 * digits and nothing is turned into a number or a date by Excel.
 */
export async function buildCredentialWorkbook(
  parent: OrgUnitRecord,
  children: OrgUnitRecord[],
  credentials: UnitCredential[],
): Promise<Buffer> {
  const byUnit = new Map(credentials.map((credential) => [credential.orgUnitId, credential]));
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '全国政府网站信息报送系统';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('下级单位账号', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = WORKBOOK_COLUMNS.map((header, index) => ({
    header,
    key: `c${index}`,
    width: [36, 12, 12, 14, 30, 14][index],
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  for (const child of children) {
    const credential = byUnit.get(child.id);
    sheet.addRow([
      child.name,
      child.code,
      credential?.username ?? '',
      credential?.initialPassword ?? '',
      parent.name,
      ORG_UNIT_KIND_LABELS[child.kind] ?? `${child.level}级`,
    ]);
  }
  const note = sheet.addRow([]);
  note.getCell(1).value = '说明：初始密码首次登录后须修改；修改后本表中的初始密码不再能登录。请妥善保管本表。';
  // Stored, not deflated: a few KB more per file, and no deflate on the event loop (the first start builds 360).
  return Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
}
