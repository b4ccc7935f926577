// Characters no text we store may hold. PostgreSQL refuses U+0000 in text and jsonb (the
// request failed with 500, an import was retried as if the database were down); control
// characters and bidi overrides in a name make it display differently from what it is
// (U+202E turns "gov.cn" around), so names and form fields refuse them too.

/** The C0 controls a multi-line text may keep: tab, line feed, carriage return. */
const MULTILINE_CONTROLS = new Set([0x09, 0x0a, 0x0d]);
/** Every character the loop below could refuse: C0 and C1 controls, the bidi controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What a person reads about the offending character, e.g. 空字符（U+0000）. */
function describe(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0) return `空字符（${hex}）`;
  if (code === 0x0a || code === 0x0d) return `换行符（${hex}）`;
  if (code === 0x09) return `制表符（${hex}）`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return `文字方向控制符（${hex}）`;
  return `控制字符（${hex}）`;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/**
 * The first character a name or single-line field may not hold — C0/C1 controls (line
 * breaks too, unless `multiline`) and the bidi embedding/override/isolate characters
 * U+202A–U+202E, U+2066–U+2069 — described in Chinese; undefined when the text is clean.
 */
export function forbiddenCharacter(text: string, options: { multiline?: boolean } = {}): string | undefined {
  // Clean text (nearly all of it) is passed by one scan of a compiled class; the loop finds which.
  if (!SUSPECT.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) continue;
    if (options.multiline && MULTILINE_CONTROLS.has(code)) continue;
    if (isControl(code) || isBidiControl(code)) return describe(code);
  }
  return undefined;
}

/** The message for a field that holds such a character: 单位名称含有不允许的空字符（U+0000），请删除. */
export function forbiddenCharacterMessage(label: string, described: string): string {
  return `${label}含有不允许的${described}，请删除`;
}

/** Replaces every forbidden character by its code (for echoing a key or name back safely). */
export function showForbiddenCharacters(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    out += isControl(code) || isBidiControl(code) ? `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]` : char;
  }
  return out;
}
