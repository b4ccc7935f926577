import ExcelJS from 'exceljs';
import { ApiClient, eventually } from './http-client';

export interface WorkbookRow {
  name: string;
  code: string;
  username: string;
  password: string;
  parent: string;
  level: string;
}

export const WORKBOOK_HEADER = ['单位名称', '单位代码', '账号', '初始密码', '上级单位', '层级'];

/** Reads an account workbook as a parent downloads it from 文件中心. */
export async function parseWorkbook(bytes: Buffer): Promise<{ header: unknown[]; rows: WorkbookRow[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const rows: WorkbookRow[] = [];
  sheet.eachRow((row, index) => {
    const [name, code, username, password, parent, level] = (row.values as unknown[])
      .slice(1)
      .map((v) => (v === undefined ? '' : String(v)));
    if (index > 1 && username) rows.push({ name, code, username, password, parent, level });
  });
  return { header, rows };
}

/** The unit's workbook from 文件中心 → 我的协作组, once it exists (and lists `expectCode`). */
export async function workbookOf(
  client: ApiClient,
  expectCode?: string,
): Promise<{ id: string; name: string; header: unknown[]; rows: WorkbookRow[]; contentDisposition: string | null }> {
  return eventually(
    async () => {
      const list = await client.get('/files?folder=我的协作组');
      const file = list.body.items?.[0];
      if (!file) return undefined;
      const download = await client.download(`/files/${file.id}/download`);
      if (download.status !== 200) throw new Error(`download failed: ${download.status}`);
      const { header, rows } = await parseWorkbook(download.bytes);
      if (expectCode && !rows.some((row) => row.code === expectCode)) return undefined;
      return {
        id: file.id,
        name: file.name,
        header,
        rows,
        contentDisposition: download.headers.get('content-disposition'),
      };
    },
    90_000,
    300,
  );
}

/** A password that passes the policy and does not contain the code. */
export function ownPassword(code: string): string {
  return `Own-Pass-2026-${code.slice(2)}!`;
}

/** First login with the initial password, the forced change, and a fresh login. */
export async function firstLogin(anonymous: ApiClient, code: string, initialPassword: string): Promise<ApiClient> {
  const temporary = await anonymous.login(code, initialPassword);
  const changed = await temporary.post('/auth/change-password', {
    currentPassword: initialPassword,
    newPassword: ownPassword(code),
  });
  if (changed.status !== 204)
    throw new Error(`password change for ${code} failed: ${changed.status} ${JSON.stringify(changed.body)}`);
  return anonymous.login(code, ownPassword(code));
}

/**
 * Logs in down the tree as a real user would: the root downloads its workbook, the first
 * unit logs in with the password from it and changes it, downloads its own, and so on.
 * Returns a client per code, in order (e.g. ['130000', '130300', '130302']).
 */
export async function loginDownTheTree(
  anonymous: ApiClient,
  rootPassword: string,
  codes: string[],
): Promise<Map<string, ApiClient>> {
  const clients = new Map<string, ApiClient>();
  // Right after a first start the root's account is linked to its unit within seconds;
  // a token issued before that carries no unit, so log in until it does.
  let parent = await eventually(async () => {
    const client = await anonymous.login('bm0100', rootPassword);
    return (await client.get('/me')).body.orgUnitId ? client : undefined;
  });
  clients.set('bm0100', parent);
  for (const code of codes) {
    const row = (await workbookOf(parent, code)).rows.find((r) => r.code === code)!;
    parent = await firstLogin(anonymous, code, row.password);
    clients.set(code, parent);
  }
  return clients;
}
