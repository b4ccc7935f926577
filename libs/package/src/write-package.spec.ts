import JSZip from 'jszip';
import { createSampleForm, SiteForm } from '@app/forms';
import { PackageError } from './errors';
import { readPackage } from './read-package';
import { sha256Hex } from './sha256';
import { writePackage } from './write-package';
import { crc32 } from './zip/crc32';

const generator = { name: '测试', version: '0.0.1' };
const options = { fillerUnit: '某某市政务服务数据管理局', generator };

async function refusal(promise: Promise<unknown>): Promise<PackageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error('expected a PackageError');
}

describe('writePackage → readPackage', () => {
  it('round-trips forms: same content, manifest with hashes, normalized values', async () => {
    const forms = [
      createSampleForm(0),
      createSampleForm(1, { columnCount: 200 }),
      createSampleForm(2, { columnCount: 0 }),
    ];
    const raw = JSON.parse(JSON.stringify(forms[0])) as SiteForm;
    raw.principal.mobile = '１３８００１３８０００';
    const bytes = await writePackage([raw, forms[1], forms[2]], {
      ...options,
      createdAt: new Date('2026-05-01T02:00:00Z'),
    });
    const contents = readPackage(bytes);
    expect(contents.rejected).toEqual([]);
    expect(contents.forms).toEqual([
      { ...forms[0], principal: { ...forms[0].principal, mobile: '13800138000' } },
      forms[1],
      forms[2],
    ]);
    expect(contents.manifest).toMatchObject({
      format: 'gov-site-report-package',
      formatVersion: 1,
      schemaVersion: '2015.1',
      fillerUnit: options.fillerUnit,
      generator,
    });
    expect(Date.parse(contents.manifest.createdAt)).toBe(Date.parse('2026-05-01T02:00:00Z'));
    expect(contents.manifest.forms.map((form) => form.siteName)).toEqual(forms.map((form) => form.site.siteName));
    expect(contents.manifest.forms[0].path).toBe(`forms/${forms[0].id}-${forms[0].site.siteName}.json`);
  });

  it('stores hashes of the exact entry bytes, readable by another ZIP reader (jszip)', async () => {
    const form = createSampleForm(3);
    const zip = await JSZip.loadAsync(await writePackage([form], options));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const entry = await zip.file(manifest.forms[0].path)!.async('uint8array');
    expect(sha256Hex(entry)).toBe(manifest.forms[0].sha256);
    expect(JSON.parse(new TextDecoder().decode(entry))).toEqual(form);
    expect(await zip.file('说明.txt')!.async('string')).toContain(form.site.siteName);
    expect(Object.keys(zip.files).filter((name) => name.endsWith('/'))).toEqual([]);
  });

  it('sets the UTF-8 language-encoding flag (bit 11) on every non-ASCII entry name', async () => {
    const bytes = await writePackage([createSampleForm(4)], options);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const names: { name: string; flag: boolean; local: boolean }[] = [];
    for (let at = 0; at + 4 <= bytes.length; at += 1) {
      const signature = view.getUint32(at, true);
      if (signature !== 0x02014b50 && signature !== 0x04034b50) continue;
      const central = signature === 0x02014b50;
      const nameAt = at + (central ? 46 : 30);
      const nameLength = view.getUint16(at + (central ? 28 : 26), true);
      const name = new TextDecoder().decode(bytes.subarray(nameAt, nameAt + nameLength));
      names.push({ name, flag: (view.getUint16(at + (central ? 8 : 6), true) & 0x0800) !== 0, local: !central });
    }
    // eslint-disable-next-line no-control-regex -- every non-ASCII name, whatever its first byte
    const nonAscii = names.filter((entry) => /[^\x00-\x7f]/.test(entry.name));
    expect(nonAscii.map((entry) => entry.name).sort()).toEqual(
      expect.arrayContaining(['说明.txt', expect.stringMatching(/^forms\/.+网站.+\.json$/)]),
    );
    expect(nonAscii).toHaveLength(4); // form + 说明.txt, each in a local and a central header
    expect(nonAscii.every((entry) => entry.flag)).toBe(true);
  });

  it('refuses every invalid form at once, naming form and field', async () => {
    const bad1 = createSampleForm(5) as any;
    bad1.principal.mobile = '123';
    bad1.contact.email = 'a@b.cn;c@d.cn';
    const bad2 = createSampleForm(6) as any;
    bad2.columns[1].url = 'www.x.gov.cn';
    const error = await refusal(writePackage([createSampleForm(7), bad1, bad2], options));
    expect(error.code).toBe('FORM_INVALID');
    expect(error.message).toBe('有2张表未通过检查（共3处错误），请改正后再生成或导入');
    const forms = error.details.forms as any[];
    expect(forms.map((form) => [form.index, form.siteName, form.errors.map((e: any) => e.field)])).toEqual([
      [1, bad1.site.siteName, ['principal.mobile', 'contact.email']],
      [2, bad2.site.siteName, ['columns[1].url']],
    ]);
  });

  it.each([
    [
      'DUPLICATE_FORM_ID',
      () => {
        const a = createSampleForm(1);
        return [a, { ...createSampleForm(2), id: a.id }];
      },
      {},
    ],
    [
      'TOO_MANY_FORMS',
      () => [createSampleForm(1), createSampleForm(2), createSampleForm(3)],
      { limits: { maxForms: 2 } },
    ],
    ['FILLER_UNIT_MISSING', () => [createSampleForm(1)], { fillerUnit: '  ' }],
  ])('refuses with %s', async (code, forms, extra) => {
    expect((await refusal(writePackage(forms(), { ...options, ...extra }))).code).toBe(code);
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});
