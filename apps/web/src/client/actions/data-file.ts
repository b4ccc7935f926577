// 导出数据 / 导入数据: every draft in ONE file, to move work to another computer (the FAQ,
// item 14). Drafts may be unfinished, so this is not the package: it is a plain JSON file.
import type { SiteForm } from '@app/forms';
import { toDraft } from '../state/to-draft';

export const DATA_FILE_FORMAT = 'gov-site-report-drafts';

export function exportData(forms: SiteForm[], now = new Date()): string {
  return `${JSON.stringify({ format: DATA_FILE_FORMAT, version: 1, exportedAt: now.toISOString(), forms }, null, 2)}\n`;
}

export interface DataImport {
  /** Drafts to store: new ones and those newer than the local copy. */
  toStore: SiteForm[];
  added: number;
  updated: number;
  /** Skipped because this computer has a newer copy. */
  keptLocal: number;
  /** Entries that are not forms. */
  unreadable: number;
}

export function importData(text: string, local: SiteForm[]): DataImport {
  const incoming = parseForms(text);
  const byId = new Map(local.map((form) => [form.id, form]));
  const result: DataImport = { toStore: [], added: 0, updated: 0, keptLocal: 0, unreadable: 0 };
  for (const item of incoming) {
    const draft = toDraft(item);
    if (!draft) {
      result.unreadable += 1;
      continue;
    }
    const existing = byId.get(draft.id);
    if (existing && Date.parse(existing.updatedAt) > Date.parse(draft.updatedAt)) {
      result.keptLocal += 1;
      continue;
    }
    if (existing) result.updated += 1;
    else result.added += 1;
    result.toStore.push(draft);
  }
  return result;
}

function parseForms(text: string): unknown[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new Error('这不是“导出数据”生成的文件（无法读取JSON）');
  }
  if (Array.isArray(json)) return json;
  const record = json as { format?: unknown; forms?: unknown };
  if (record && Array.isArray(record.forms)) return record.forms;
  throw new Error('这不是“导出数据”生成的文件');
}
