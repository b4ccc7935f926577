// Entry names: what the writer names a form's entry, and which names the reader refuses
// because extracting them would escape the target folder or mean different things on
// different systems.

export const MANIFEST_PATH = 'manifest.json';
export const README_PATH = '说明.txt';
const FORMS_DIR = 'forms/';
const MAX_NAME_CHARS = 60;

/** `forms/<uuid>-<网站名称>.json`, with characters Windows refuses in names replaced. */
export function formEntryPath(id: string, siteName: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  const safe = [...siteName.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').trim()].slice(0, MAX_NAME_CHARS).join('');
  return `${FORMS_DIR}${id}${safe ? `-${safe}` : ''}.json`;
}

/** Why a name is unsafe, or null when it is fine. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return '文件名为空';
  if (name.includes('\\')) return '含有反斜杠“\\”';
  if (name.startsWith('/')) return '是绝对路径';
  if (/^[A-Za-z]:/.test(name)) return '含有盘符';
  if (name.split('/').some((segment) => segment === '..')) return '含有“..”';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f]/.test(name)) return '含有控制字符';
  return null;
}

export function isDirectoryName(name: string): boolean {
  return name.endsWith('/');
}
