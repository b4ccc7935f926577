// Each listed entry must be UTF-8 JSON whose id is the id the manifest lists for it.
import { isPlainObject } from '@app/forms';
import { listNames, PackageError } from './errors';
import { ManifestForm } from './manifest';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseFormEntries(listed: ManifestForm[], contents: Uint8Array[]): unknown[] {
  const unreadable: string[] = [];
  const documents = contents.map((bytes, index) => {
    try {
      return JSON.parse(utf8.decode(bytes)) as unknown;
    } catch {
      unreadable.push(listed[index].path);
      return undefined;
    }
  });
  if (unreadable.length > 0) {
    throw new PackageError('FORM_UNREADABLE', `上报文件中的${listNames(unreadable)}不是有效的JSON，无法读取`, {
      entries: unreadable,
    });
  }
  const mismatched = listed.filter((form, index) => {
    const document = documents[index];
    const id = isPlainObject(document) && typeof document.id === 'string' ? document.id.toLowerCase() : undefined;
    return id !== form.id;
  });
  if (mismatched.length > 0) {
    throw new PackageError(
      'FORM_ID_MISMATCH',
      `上报文件中${listNames(mismatched.map((form) => form.path))}的表单编号与清单不一致`,
      {
        entries: mismatched.map((form) => ({ path: form.path, formId: form.id })),
      },
    );
  }
  return documents;
}
