// Large packages and every Excel template are read on a worker thread (the compiled one in dist/, as `npm start` and
// every service process run it): the same forms, the same invalid forms with their errors and
// the same refusals with their codes as reading on the calling thread; a reader thread that
// dies or never answers fails the read instead of hanging the job.
import { createSampleForm, SiteForm } from '@app/forms';
import { PackageError, TemplateError, writePackage, writeTemplate } from '@app/package';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readUpload, ReadUpload } from '../../apps/intake/src/jobs/read-upload';
import {
  endReaderThreads,
  IN_THREAD_MAX_BYTES,
  readUploadOffThread,
} from '../../apps/intake/src/jobs/read-upload-thread';
import { xlsxToXls } from '@app/package/testing/craft-xls';

const WORKER = resolve(__dirname, '../../dist/apps/intake/src/jobs/read-upload.worker.js');
const MAX = 50 * 1024 * 1024;
const scratch = mkdtempSync(join(tmpdir(), 'reader-thread-'));

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does)`);
});

afterAll(() => endReaderThreads());

/** 400 forms (well over the in-thread limit), every 50th with an invalid mobile number. */
function forms(): SiteForm[] {
  return Array.from({ length: 400 }, (_, n) => {
    const form = createSampleForm(n, { columnCount: 3 });
    return n % 50 === 7 ? { ...form, principal: { ...form.principal, mobile: '12345' } } : form;
  });
}

/** A template row without 更新时间 is stamped with the time it is read: the rest must match. */
function withoutReadTime(upload: ReadUpload): ReadUpload {
  return { ...upload, forms: upload.forms.map((form) => ({ ...form, updatedAt: 'read time' })) };
}

describe('reading uploads on a worker thread', () => {
  it('gives the same forms and invalid forms as the calling thread, for a package and for the Excel template', async () => {
    const all = forms();
    const zip = await writePackage(
      all.filter((_, n) => n % 50 !== 7),
      { fillerUnit: '秦皇岛市人民政府办公室', generator: { name: 'test', version: '1' } },
    );
    const xlsx = await writeTemplate(all);
    expect(zip.length).toBeGreaterThan(IN_THREAD_MAX_BYTES); // (a template always goes to the worker)
    for (const [kind, bytes] of [
      ['zip', zip],
      ['xlsx', xlsx],
    ] as const) {
      const here = await readUpload(kind, bytes, MAX);
      const there = await readUploadOffThread({ kind, bytes, maxUploadBytes: MAX }, WORKER);
      expect(withoutReadTime(there)).toEqual(withoutReadTime(here));
    }
    const fromTemplate = await readUploadOffThread({ kind: 'xlsx', bytes: xlsx, maxUploadBytes: MAX }, WORKER);
    expect(fromTemplate.forms).toHaveLength(392);
    expect(fromTemplate.invalid).toHaveLength(8);
    expect(fromTemplate.invalid[0].errors).toContainEqual(
      expect.objectContaining({ field: 'principal.mobile', message: '手机号应为11位数字' }),
    );
  });

  it('brings refusals back as PackageError / TemplateError with their codes, as the job needs them', async () => {
    const zip = await writePackage(
      forms().filter((_, n) => n % 50 !== 7),
      { fillerUnit: '秦皇岛市人民政府办公室', generator: { name: 'test', version: '1' } },
    );
    const truncated = await readUploadOffThread(
      { kind: 'zip', bytes: zip.slice(0, zip.length - 100), maxUploadBytes: MAX },
      WORKER,
    ).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(PackageError);
    expect(truncated).toMatchObject({ code: 'ZIP_CORRUPT' });
    const tooLarge = await readUploadOffThread(
      { kind: 'zip', bytes: zip, maxUploadBytes: IN_THREAD_MAX_BYTES + 1 },
      WORKER,
    ).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(PackageError);
    expect(tooLarge).toMatchObject({
      code: 'PACKAGE_TOO_LARGE',
      details: { size: zip.length, limit: IN_THREAD_MAX_BYTES + 1 },
    });
    const notExcel = await readUploadOffThread(
      { kind: 'xlsx', bytes: new Uint8Array(1000), maxUploadBytes: MAX },
      WORKER,
    ).catch((e: unknown) => e);
    expect(notExcel).toBeInstanceOf(TemplateError);
    expect(notExcel).toMatchObject({ code: 'TEMPLATE_FORMAT_UNSUPPORTED' });
    const damaged = await readUploadOffThread(
      { kind: 'xlsx', bytes: (await writeTemplate(forms())).slice(0, 5000), maxUploadBytes: MAX },
      WORKER,
    ).catch((e: unknown) => e);
    expect(damaged).toMatchObject({ code: 'TEMPLATE_UNREADABLE' });
  });

  it('reads an .xls template on the worker, even one named .zip, as the .xlsx it was saved from', async () => {
    const all = forms().slice(0, 60);
    const xlsx = await writeTemplate(all);
    const xls = xlsxToXls(xlsx);
    const fromXlsx = await readUploadOffThread({ kind: 'xlsx', bytes: xlsx, maxUploadBytes: MAX }, WORKER);
    for (const kind of ['xlsx', 'zip'] as const) {
      const fromXls = await readUploadOffThread({ kind, bytes: xls, maxUploadBytes: MAX }, WORKER);
      expect(withoutReadTime(fromXls)).toEqual(withoutReadTime(fromXlsx));
    }
    expect(fromXlsx.forms).toHaveLength(58);
  });

  it('ends a workbook read that takes longer than its limit, refusing it with TEMPLATE_TOO_LARGE', async () => {
    const xls = xlsxToXls(await writeTemplate(forms()));
    const refused = await readUploadOffThread({ kind: 'xlsx', bytes: xls, maxUploadBytes: MAX }, WORKER, {
      timeoutMs: 1,
      maxHeapMb: 2048,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TemplateError);
    expect(refused).toMatchObject({ code: 'TEMPLATE_TOO_LARGE', message: expect.stringContaining('分成几个文件') });
  });

  it('fails the read when the reader thread crashes or exits without an answer', async () => {
    const big = { kind: 'zip' as const, bytes: new Uint8Array(IN_THREAD_MAX_BYTES + 1), maxUploadBytes: MAX };
    const crashing = join(scratch, 'crash.js');
    writeFileSync(crashing, "throw new Error('reader crashed');");
    await expect(readUploadOffThread(big, crashing)).rejects.toThrow('reader crashed');
    const silent = join(scratch, 'silent.js');
    writeFileSync(silent, 'process.exit(3);');
    await expect(readUploadOffThread(big, silent)).rejects.toThrow('package reader thread exited with code 3');
  });

  it('reads the next package on the thread kept from the last, and on a new one once that thread is gone', async () => {
    // A reader that counts its reads: the same thread answers 1, then 2; a new one 1 again.
    const counting = join(scratch, 'counting.js');
    writeFileSync(
      counting,
      `const { parentPort } = require('node:worker_threads');
       let reads = 0;
       parentPort.on('message', ({ id }) => {
         reads += 1;
         parentPort.postMessage({ id, ok: true, result: { forms: [], invalid: [], reads, thread: require('node:worker_threads').threadId } });
         if (reads === 2) setTimeout(() => process.exit(0), 10);
       });`,
    );
    const big = { kind: 'zip' as const, bytes: new Uint8Array(IN_THREAD_MAX_BYTES + 1), maxUploadBytes: MAX };
    const read = async () => (await readUploadOffThread(big, counting)) as unknown as { reads: number; thread: number };
    const first = await read();
    const second = await read();
    expect(second).toEqual({ ...first, reads: 2 });
    // That thread ended by itself while kept (as a crash would): the next read gets a new one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await read();
    expect(third.reads).toBe(1);
    expect(third.thread).not.toBe(first.thread);
    // The real reader, twice on one thread: the same forms each time.
    const zip = await writePackage(
      forms().filter((_, n) => n % 50 !== 7),
      {
        fillerUnit: '秦皇岛市人民政府办公室',
        generator: { name: 'test', version: '1' },
      },
    );
    const once = await readUploadOffThread({ kind: 'zip', bytes: zip, maxUploadBytes: MAX }, WORKER);
    const again = await readUploadOffThread({ kind: 'zip', bytes: zip, maxUploadBytes: MAX }, WORKER);
    expect(again).toEqual(once);
    expect(once.forms).toHaveLength(392);
  });

  it('reads a small package on the calling thread (no worker is started for it)', async () => {
    const small = await writePackage([createSampleForm(1)], {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    expect(small.length).toBeLessThanOrEqual(IN_THREAD_MAX_BYTES);
    // A worker file that would fail proves it is not used.
    const crashing = join(scratch, 'crash.js');
    const result = await readUploadOffThread({ kind: 'zip', bytes: small, maxUploadBytes: MAX }, crashing);
    expect(result.forms).toHaveLength(1);
  });
});
