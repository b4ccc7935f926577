// Real zip bombs, crafted here: deflate streams of zeros whose headers LIE about their size.
// The reader must count the bytes it really inflates and stop right after the limit.
import { Deflate } from 'fflate';
import { createSampleForm, newFormId } from '@app/forms';
import { PackageCodec, portableCodec } from './codec';
import { PackageError } from './errors';
import { nodeCodec } from './node-codec';
import { readPackage } from './read-package';
import { writePackage } from './write-package';
import { craftZip, CraftEntry, unpack } from './testing/craft-zip';
import { crc32 } from './zip/crc32';
import { readTemplate } from './template/read-template';
import { TemplateError } from './template/template-error';

const MiB = 1024 * 1024;

/** `megabytes` of zeros, deflated by streaming (never held inflated in memory). */
function zeros(megabytes: number): { bytes: Uint8Array; size: number; crc: number } {
  const chunks: Uint8Array[] = [];
  const deflate = new Deflate({ level: 9 }, (chunk) => chunks.push(chunk));
  const block = new Uint8Array(MiB);
  let crc = 0;
  for (let i = 0; i < megabytes; i += 1) {
    deflate.push(block, i === megabytes - 1);
    crc = crc32(block, crc);
  }
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, size: megabytes * MiB, crc };
}

function manifestListing(paths: string[]): CraftEntry {
  const forms = paths.map((path) => ({ id: newFormId(), path, sha256: '0'.repeat(64), siteName: '炸弹' }));
  const manifest = {
    format: 'gov-site-report-package',
    formatVersion: 1,
    schemaVersion: '2015.1',
    generator: { name: 'x', version: '1' },
    createdAt: '2026-05-01T10:00:00+08:00',
    fillerUnit: '某单位',
    forms,
  };
  return { name: 'manifest.json', data: JSON.stringify(manifest) };
}

function refusal(bytes: Uint8Array, limits: object, codec: PackageCodec): PackageError {
  try {
    readPackage(bytes, limits, codec);
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error('expected a PackageError');
}

// The same refusals whichever codec inflates: the browser's portable one and the server's native zlib.
describe.each([
  ['portable', portableCodec],
  ['node', nodeCodec],
])('zip bombs, %s codec', (_name: string, codec: PackageCodec) => {
  const bomb = zeros(128);

  it('is a real bomb: 128 MiB in a small archive', () => {
    expect(bomb.bytes.length).toBeLessThan(200 * 1024);
  });

  it('stops inflating an entry whose header claims 1,000 bytes right after the 1 MiB entry limit', () => {
    const zip = craftZip([
      manifestListing(['forms/bomb.json']),
      { name: 'forms/bomb.json', data: '', compressed: bomb, claimedSize: 1000 },
    ]);
    const error = refusal(zip, { maxEntryBytes: MiB }, codec);
    expect(error.code).toBe('ENTRY_TOO_LARGE');
    expect(error.details).toMatchObject({ entry: 'forms/bomb.json', limit: MiB, claimedBytes: 1000 });
    const stoppedAt = error.details.inflatedBytesWhenStopped as number;
    expect(stoppedAt).toBeGreaterThan(MiB);
    expect(stoppedAt).toBeLessThan(MiB + 320 * 1024);
  });

  it('refuses a bomb in manifest.json itself', () => {
    const zip = craftZip([{ name: 'manifest.json', data: '', compressed: bomb, claimedSize: 10 }]);
    expect(refusal(zip, { maxEntryBytes: 4 * MiB }, codec).code).toBe('ENTRY_TOO_LARGE');
  });

  it('stops when entries each under the entry limit add up past the total limit', () => {
    const part = zeros(1);
    const paths = Array.from({ length: 10 }, (_, i) => `forms/part${i}.json`);
    const zip = craftZip([manifestListing(paths), ...paths.map((name) => ({ name, data: '', compressed: part }))]);
    const error = refusal(zip, { maxEntryBytes: 2 * MiB, maxTotalBytes: 4 * MiB }, codec);
    expect(error.code).toBe('TOTAL_TOO_LARGE');
    expect(error.details.inflatedBytesWhenStopped as number).toBeLessThan(4 * MiB + 320 * 1024);
  });

  it('refuses an entry that inflates to more than its header claims even under the limits', () => {
    const small = zeros(1);
    const zip = craftZip([
      manifestListing(['forms/a.json']),
      { name: 'forms/a.json', data: '', compressed: small, claimedSize: 1000 },
    ]);
    expect(refusal(zip, {}, codec).code).toBe('ZIP_CORRUPT');
  });

  it('refuses overlapping entries (two directory records pointing at one local header)', async () => {
    const genuine = await writePackage([createSampleForm(0), createSampleForm(1)], {
      fillerUnit: '某单位',
      generator: { name: 'x', version: '1' },
    });
    expect(unpack(genuine)).toHaveLength(4);
    const copy = genuine.slice();
    const view = new DataView(copy.buffer);
    const centrals: number[] = [];
    for (let at = 0; at + 4 <= copy.length; at += 1) if (view.getUint32(at, true) === 0x02014b50) centrals.push(at);
    view.setUint32(centrals[1] + 42, view.getUint32(centrals[0] + 42, true), true);
    expect(refusal(copy, {}, codec).code).toBe('ZIP_CORRUPT');
  });
});

describe('an .xlsx template that is a zip bomb', () => {
  it('stops inflating at the template limit, before exceljs sees it (TEMPLATE_TOO_LARGE)', async () => {
    const bomb = zeros(8);
    const xlsx = craftZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: '', compressed: bomb },
    ]);
    const error = await readTemplate(xlsx, { limits: { maxInflatedBytes: MiB } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'TEMPLATE_TOO_LARGE', message: expect.stringContaining('解压后超过了 1 MiB') });
  });
});
