// Every refusal of docs/PACKAGE-FORMAT.md, each against real bytes, each asserting its own code.
import { createSampleForm } from '@app/forms';
import { PackageError, PackageErrorCode, PACKAGE_ERROR_CODES } from './errors';
import { assertAllFormsValid, readPackage } from './read-package';
import { PackageLimits } from './limits';
import { writePackage } from './write-package';
import { sha256Hex } from './sha256';
import { craftZip, CraftEntry, unpack } from './testing/craft-zip';
import { readCentralDirectory } from './zip/central-directory';
import { portableCodec } from './codec';
import { nodeCodec } from './node-codec';
import { encode } from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A name as a zip tool on Chinese Windows writes it: CP936 bytes. */
const gbk = (name: string) => new Uint8Array(encode(name, 'cp936'));

const options = { fillerUnit: '某某市政务服务数据管理局', generator: { name: '测试', version: '0.0.1' } };
const forms = [createSampleForm(0), createSampleForm(1), createSampleForm(2)];
let genuine: Uint8Array;
let entries: CraftEntry[];

beforeAll(async () => {
  genuine = await writePackage(forms, options);
  entries = unpack(genuine);
});

const text = (entry: CraftEntry) =>
  typeof entry.data === 'string' ? entry.data : new TextDecoder().decode(entry.data);
const manifestOf = (list: CraftEntry[]) => JSON.parse(text(list.find((entry) => entry.name === 'manifest.json')!));
const isForm = (entry: CraftEntry) => entry.name.startsWith('forms/');
const size = (entry: CraftEntry) =>
  (typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data).length;

/** Rebuilds the package with a changed manifest (re-hashing nothing unless asked). */
function withManifest(change: (manifest: any) => void, list = entries): CraftEntry[] {
  const manifest = manifestOf(list);
  change(manifest);
  return list.map((entry) =>
    entry.name === 'manifest.json' ? { name: entry.name, data: JSON.stringify(manifest) } : entry,
  );
}

/** Replaces the first form's JSON and, when `rehash`, its manifest hash (an edit that passes the hash). */
function withFirstForm(change: (form: any) => void, rehash: boolean): CraftEntry[] {
  const first = entries.find(isForm)!;
  const form = JSON.parse(text(first));
  change(form);
  const data = new TextEncoder().encode(JSON.stringify(form));
  const list = entries.map((entry) => (entry === first ? { name: entry.name, data } : entry));
  return rehash ? withManifest((manifest) => (manifest.forms[0].sha256 = sha256Hex(data)), list) : list;
}

function refusal(bytes: Uint8Array, limits: Partial<PackageLimits> = {}): PackageError {
  try {
    readPackage(bytes, limits);
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error('expected a PackageError');
}

type Case = [PackageErrorCode, string, () => Uint8Array, (() => Partial<PackageLimits>)?];

const cases: Case[] = [
  ['PACKAGE_TOO_LARGE', 'bytes over the upload limit', () => genuine, () => ({ maxPackageBytes: genuine.length - 1 })],
  ['NOT_A_ZIP', 'a text file', () => new TextEncoder().encode('网站名称,首页网址\n')],
  ['NOT_A_ZIP', 'empty bytes', () => new Uint8Array(0)],
  ['ZIP_CORRUPT', 'truncated in the middle', () => genuine.subarray(0, Math.floor(genuine.length / 2))],
  ['ZIP_CORRUPT', 'truncated by one byte', () => genuine.subarray(0, genuine.length - 23)],
  ['ZIP_CORRUPT', 'a flipped byte inside compressed data', flipDataByte],
  [
    'ZIP_UNSUPPORTED',
    'an encrypted entry',
    () => {
      const copy = genuine.slice();
      setFlagOnAllHeaders(copy, 0x0001);
      return copy;
    },
  ],
  ['ENTRY_NAME_UNSAFE', 'a ../ name', () => craftZip([...entries, { name: '../evil.json', data: '{}' }])],
  ['ENTRY_NAME_UNSAFE', 'an absolute name', () => craftZip([...entries, { name: '/etc/passwd', data: 'x' }])],
  ['ENTRY_NAME_UNSAFE', 'a backslash name', () => craftZip([...entries, { name: 'forms\\x.json', data: '{}' }])],
  ['ENTRY_NAME_UNSAFE', 'a drive letter', () => craftZip([...entries, { name: 'C:/x.json', data: '{}' }])],
  [
    'ENTRY_NAME_UNSAFE',
    'a ../ path in the manifest',
    () => craftZip(withManifest((m) => (m.forms[0].path = 'forms/../../x.json'))),
  ],
  [
    'ENTRY_NAME_NOT_UTF8',
    'a GBK name without the flag that the manifest does not list (其他.txt)',
    () =>
      craftZip([
        ...entries,
        {
          name: 'x',
          rawName: new Uint8Array([0xc6, 0xe4, 0xcb, 0xfb, 0x2e, 0x74, 0x78, 0x74]),
          utf8Flag: false,
          data: 'x',
        },
      ]),
  ],
  [
    'ENTRY_NAME_NOT_UTF8',
    'an unflagged name that is neither UTF-8 nor GBK',
    () =>
      craftZip([...entries, { name: 'x', rawName: new Uint8Array([0x61, 0xff, 0xff]), utf8Flag: false, data: 'x' }]),
  ],
  [
    'ENTRY_NAME_NOT_UTF8',
    'a form renamed on Windows: its GBK name is not the manifest path',
    () =>
      craftZip(
        entries.map((entry) =>
          isForm(entry) && entry === entries.find(isForm)
            ? { ...entry, rawName: gbk(entry.name.replace('.json', '（改）.json')), utf8Flag: false }
            : entry,
        ),
      ),
  ],
  [
    'ENTRY_DUPLICATE',
    'the same form twice, once with a UTF-8 name and once with its GBK name',
    () => {
      const first = entries.find(isForm)!;
      return craftZip([...entries, { ...first, rawName: gbk(first.name), utf8Flag: false }]);
    },
  ],
  ['ENTRY_DUPLICATE', 'manifest.json twice', () => craftZip([...entries, { name: 'manifest.json', data: '{}' }])],
  ['MANIFEST_MISSING', 'no manifest.json', () => craftZip(entries.filter((e) => e.name !== 'manifest.json'))],
  ['MANIFEST_MISSING', 'an empty ZIP', () => craftZip([])],
  [
    'MANIFEST_INVALID',
    'a manifest that is not JSON',
    () => craftZip(entries.map((e) => (e.name === 'manifest.json' ? { name: e.name, data: '{"format":' } : e))),
  ],
  ['MANIFEST_INVALID', 'a manifest without forms', () => craftZip(withManifest((m) => delete m.forms))],
  ['MANIFEST_INVALID', 'a manifest form without sha256', () => craftZip(withManifest((m) => delete m.forms[1].sha256))],
  ['FORMAT_UNSUPPORTED', 'another format', () => craftZip(withManifest((m) => (m.format = 'other-system')))],
  ['FORMAT_UNSUPPORTED', 'format version 2', () => craftZip(withManifest((m) => (m.formatVersion = 2)))],
  ['SCHEMA_VERSION_UNSUPPORTED', 'schema 2014.1', () => craftZip(withManifest((m) => (m.schemaVersion = '2014.1')))],
  ['TOO_MANY_FORMS', 'more forms listed than the limit', () => genuine, () => ({ maxForms: 2 })],
  [
    'ENTRY_MISSING',
    'a listed entry removed',
    () => craftZip(entries.filter((e) => e.name !== manifestOf(entries).forms[1].path)),
  ],
  ['ENTRY_NOT_LISTED', 'an extra entry', () => craftZip([...entries, { name: 'forms/extra.json', data: '{}' }])],
  [
    'ENTRY_NOT_LISTED',
    'macOS resource forks',
    () => craftZip([...entries, { name: '__MACOSX/._manifest.json', data: 'x' }]),
  ],
  [
    'HASH_MISMATCH',
    'a form edited after export',
    () => craftZip(withFirstForm((form) => (form.principal.mobile = '13911112222'), false)),
  ],
  [
    'DUPLICATE_FORM_ID',
    'the same UUID twice in the manifest',
    () => craftZip(withManifest((m) => (m.forms[2].id = m.forms[0].id))),
  ],
  [
    'FORM_UNREADABLE',
    'a listed entry that is not JSON',
    () => {
      const data = new TextEncoder().encode('not json');
      const list = entries.map((e) => (e.name === manifestOf(entries).forms[0].path ? { name: e.name, data } : e));
      return craftZip(withManifest((m) => (m.forms[0].sha256 = sha256Hex(data)), list));
    },
  ],
  [
    'FORM_ID_MISMATCH',
    'a form whose id differs from its manifest id',
    () => craftZip(withFirstForm((form) => (form.id = forms[1].id), true)),
  ],
  [
    'ENTRY_TOO_LARGE',
    'an entry over the entry limit',
    () => genuine,
    () => ({ maxEntryBytes: Math.max(...entries.filter(isForm).map(size)) - 1 }),
  ],
  [
    'TOTAL_TOO_LARGE',
    'entries together over the total limit',
    () => genuine,
    () => ({ maxTotalBytes: entries.filter((e) => e.name !== '说明.txt').reduce((sum, e) => sum + size(e), 0) - 1 }),
  ],
];

describe('readPackage refusals', () => {
  // Rest parameters: jest would take a 4th declared parameter for a `done` callback.
  it.each(cases)('%s: %s', (...row) => {
    const [code, , make, limits] = row as Case;
    const error = refusal(make(), limits?.());
    expect({ code: error.code, message: error.message }).toEqual({
      code,
      message: expect.stringMatching(/[\u4e00-\u9fa5]/),
    });
  });

  it('covers every reader error code', () => {
    const tested = new Set(cases.map(([code]) => code));
    const writerOnly: PackageErrorCode[] = ['FILLER_UNIT_MISSING', 'FORM_INVALID'];
    expect(PACKAGE_ERROR_CODES.filter((code) => !tested.has(code) && !writerOnly.includes(code))).toEqual([]);
  });

  it('names the edited entry and its website on a hash mismatch', () => {
    const error = refusal(craftZip(withFirstForm((form) => (form.site.siteName = '改过的名称'), false)));
    const listed = manifestOf(entries).forms[0];
    expect(error.details).toEqual({ entries: [{ path: listed.path, formId: listed.id, siteName: listed.siteName }] });
    expect(error.message).toContain(listed.path);
  });

  it('returns forms that fail validation with every error, by form and field; assertAllFormsValid refuses them', () => {
    const edited = withFirstForm((form) => {
      form.principal.mobile = '12345';
      form.columns[0].url = 'ftp://x.gov.cn';
    }, true);
    const contents = readPackage(craftZip(edited));
    expect(contents.forms.map((form) => form.id)).toEqual([forms[1].id, forms[2].id]);
    expect(contents.rejected).toEqual([
      expect.objectContaining({
        index: 0,
        formId: forms[0].id,
        siteName: forms[0].site.siteName,
        errors: [
          { field: 'principal.mobile', label: '负责人手机', message: '手机号应为11位数字' },
          expect.objectContaining({ field: 'columns[0].url', label: '第1个栏目的栏目地址' }),
        ],
      }),
    ]);
    expect(() => assertAllFormsValid(contents)).toThrow(expect.objectContaining({ code: 'FORM_INVALID' }));
  });

  it('accepts UTF-8 names written without the flag (Info-ZIP, macOS)', () => {
    const unflagged = entries.map((entry) => ({ ...entry, utf8Flag: false }));
    expect(readPackage(craftZip(unflagged)).forms).toHaveLength(3);
  });

  it('accepts GBK names without the flag that decode to the paths the manifest lists (re-zipped on Chinese Windows)', () => {
    for (const codec of [portableCodec, nodeCodec]) {
      const rezipped = craftZip(
        entries.map((entry) =>
          /[^ -~]/.test(entry.name) ? { ...entry, rawName: gbk(entry.name), utf8Flag: false } : entry,
        ),
      );
      expect(readPackage(rezipped, {}, codec).forms.map((form) => form.id)).toEqual(forms.map((form) => form.id));
    }
  });

  it('reads a package re-zipped with Info-ZIP from GBK-named files (fixture made with the zip tool)', () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, 'testing/fixtures/gbk-names-rezipped.zip')));
    expect(readCentralDirectory(bytes).filter((entry) => entry.legacyName)).toHaveLength(3);
    for (const codec of [portableCodec, nodeCodec]) {
      const contents = readPackage(bytes, {}, codec);
      expect(contents.rejected).toEqual([]);
      expect(contents.forms.map((form) => form.site.siteName)).toEqual([
        createSampleForm(0).site.siteName,
        createSampleForm(1).site.siteName,
      ]);
    }
  });

  it('refuses a GBK-named entry whose content was edited, naming it by its decoded name', () => {
    const first = entries.find(isForm)!;
    const edited = withFirstForm((form) => (form.site.siteName += '（改）'), false).map((entry) =>
      entry.name === first.name ? { ...entry, rawName: gbk(entry.name), utf8Flag: false } : entry,
    );
    const error = refusal(craftZip(edited));
    expect(error.code).toBe('HASH_MISMATCH');
    expect(error.message).toContain(first.name);
  });

  it('accepts a package re-zipped by a tool that keeps names UTF-8 flagged and adds folder entries', () => {
    const rezipped = craftZip([{ name: 'forms/', data: '', method: 0 }, ...entries]);
    expect(readPackage(rezipped).forms).toHaveLength(3);
  });
});

/** Damages one byte in the middle of the first entry's compressed data. */
function flipDataByte(): Uint8Array {
  const copy = genuine.slice();
  const [first] = readCentralDirectory(copy);
  copy[first.dataOffset + Math.floor(first.compressedSize / 2)] ^= 0xff;
  return copy;
}

/** Sets a flag bit on every local and central header (test helper for the encrypted case). */
function setFlagOnAllHeaders(bytes: Uint8Array, flag: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.length; at += 1) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint16(at + 6, view.getUint16(at + 6, true) | flag, true);
    if (signature === 0x02014b50) view.setUint16(at + 8, view.getUint16(at + 8, true) | flag, true);
  }
}
