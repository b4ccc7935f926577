import { checkField } from './validate/check-field';
import { field } from './schema/field';
import { validateForm } from './validate/validate-form';
import { createSampleForm } from './sample-form';
import { forbiddenCharacter, showForbiddenCharacters } from './text-safety';

describe('forbidden characters', () => {
  it.each([
    ['\u0000', '空字符（U+0000）'],
    ['\u0007', '控制字符（U+0007）'],
    ['\u007f', '控制字符（U+007F）'],
    ['\u0085', '控制字符（U+0085）'],
    ['\n', '换行符（U+000A）'],
    ['\t', '制表符（U+0009）'],
    ['\u202a', '文字方向控制符（U+202A）'],
    ['\u202e', '文字方向控制符（U+202E）'],
    ['\u2066', '文字方向控制符（U+2066）'],
    ['\u2069', '文字方向控制符（U+2069）'],
  ])('refuses %j in a name', (char, described) => {
    expect(forbiddenCharacter(`某某${char}局`)).toBe(described);
  });

  it('keeps ordinary text, full-width forms and line breaks in a multi-line text', () => {
    expect(forbiddenCharacter('某某局（某某办）　www.gov.cn ０１０ é 𠀀')).toBeUndefined();
    expect(forbiddenCharacter('第一行\r\n第二行\t', { multiline: true })).toBeUndefined();
    expect(forbiddenCharacter('a\u0000b', { multiline: true })).toBe('空字符（U+0000）');
    expect(forbiddenCharacter('a\u202eb', { multiline: true })).toBe('文字方向控制符（U+202E）');
  });

  it('shows the characters by code when echoing them', () => {
    expect(showForbiddenCharacters('a\u0000b\u202e')).toBe('a[U+0000]b[U+202E]');
  });

  it('is a field rule for every kind, checked before trimming', () => {
    expect(checkField(field('name', '网站名称', 'text', true), '网站名称', '某网站\u0000')).toEqual({
      message: '网站名称含有不允许的空字符（U+0000），请删除',
    });
    expect(checkField(field('url', '首页网址', 'url', true), '首页网址', 'http://www.a.gov.cn/\u0000').message).toBe(
      '首页网址含有不允许的空字符（U+0000），请删除',
    );
    expect(checkField(field('name', '联系人姓名', 'text', false), '联系人姓名', '张\u202e三').message).toContain(
      '文字方向控制符（U+202E）',
    );
  });

  it('names the form field in validateForm, and never echoes a NUL from an unknown key', () => {
    const form = createSampleForm(1) as unknown as Record<string, Record<string, string>>;
    form.site.siteName = '某\u0000网站';
    form.contact['x\u0000'] = '1';
    const result = validateForm(form);
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ field: 'site.siteName', message: expect.stringContaining('空字符（U+0000）') }),
    );
    expect(JSON.stringify(result.errors)).not.toContain('\\u0000');
  });

  it('refuses an updatedAt PostgreSQL cannot store or that is no calendar day', () => {
    for (const updatedAt of ['0000-01-01T00:00:00Z', '2026-02-30T00:00:00+08:00']) {
      const result = validateForm({ ...createSampleForm(2), updatedAt });
      expect(result.errors.map((error) => error.field)).toEqual(['updatedAt']);
    }
  });
});
