import { createSampleForm } from '@app/forms';
import { Writable } from 'node:stream';
import { ExportedColumn, ExportedForm, writeRecordsWorkbook } from '../../review/src/exports/records-workbook';
import { BenchResult, BenchTarget, machineDescription } from './report';

/** The root's 86k websites, ten times over (the scale); BENCH_EXPORT_ROWS for a small run. */
const DEFAULT_ROWS = 860_000;
const COLUMNS_PER_FORM = 3;
/** Rows per batch, as review FETCHes them from its cursor. */
const BATCH = 500;
/** The writer must not grow with the export: RSS growth bounded whatever the row count. */
const TARGET_RSS_GROWTH_MIB = 200;

/**
 * Memory of a records export: the review service's own workbook writer (`writeRecordsWorkbook`,
 * exceljs's streaming WorkbookWriter, the same columns and sheets) fed batches of records as
 * its cursor gives them, into a sink that takes the bytes as an upload does. RSS is sampled
 * every 50 ms; the figure that matters is its growth over the run, which must stay flat as the
 * rows grow (a workbook held in memory grows with them). PostgreSQL and S3 are left out: the
 * cursor holds one batch, the upload one 8 MiB part (libs/storage), both bounded by design.
 */
export async function exportBench(): Promise<BenchResult> {
  const total = Number(process.env.BENCH_EXPORT_ROWS ?? DEFAULT_ROWS);
  const samples = Array.from({ length: 50 }, (_, n) => createSampleForm(n, { columnCount: COLUMNS_PER_FORM }));
  const forms = async function* (): AsyncIterable<ExportedForm[]> {
    for (let start = 0; start < total; start += BATCH) {
      const batch: ExportedForm[] = [];
      for (let n = start; n < Math.min(total, start + BATCH); n++) {
        const { columns, ...content } = samples[n % samples.length];
        void columns;
        batch.push({
          id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          siteCode: String(1303020000 + (n % 9999)),
          status: 'APPROVED',
          lifecycle: n % 10 === 0 ? 'CLOSED' : 'ACTIVE',
          closedReason: n % 10 === 0 ? '网站改版' : null,
          expectedReopenDate: n % 10 === 0 ? '2099-03-01' : null,
          requestKind: n % 7 === 0 ? 'CHANGE' : null,
          ownerCode: '130302',
          regionName: '河北省 秦皇岛市 海港区',
          updatedAt: new Date(),
          content: content as unknown as Record<string, unknown>,
          columnCount: COLUMNS_PER_FORM,
        });
      }
      yield batch;
    }
  };
  const columns = async function* (): AsyncIterable<ExportedColumn[]> {
    let batch: ExportedColumn[] = [];
    for (let n = 0; n < total; n++) {
      const form = samples[n % samples.length];
      form.columns.forEach((column, i) =>
        batch.push({
          id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          siteName: form.site.siteName,
          siteCode: null,
          ord: i + 1,
          column: column as unknown as Record<string, unknown>,
        }),
      );
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  };
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      setImmediate(done); // an upload takes its time: the writer must wait, not buffer
    },
  });
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = Date.now();
  const written = await writeRecordsWorkbook(sink, forms, columns, async () => {
    while (sink.writableLength > 4 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
  });
  await new Promise<void>((resolve) => (sink.writableFinished ? resolve() : sink.once('finish', () => resolve())));
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (Date.now() - started) / 1000;
  const growthMiB = (peak - baseline) / 2 ** 20;
  const targets: BenchTarget[] = [
    {
      what: `records export of ${total.toLocaleString('en')} websites: RSS growth`,
      target: `≤ ${TARGET_RSS_GROWTH_MIB} MiB`,
      measured: `${growthMiB.toFixed(0)} MiB`,
      met: growthMiB <= TARGET_RSS_GROWTH_MIB,
    },
  ];
  return {
    name: 'export',
    title: 'Records export (Excel): memory of the streaming writer',
    figures: [
      { label: 'websites (sheet 网站基本信息)', value: written.rows.toLocaleString('en') },
      { label: '栏目 (sheet 栏目信息)', value: written.columns.toLocaleString('en') },
      { label: 'workbook size', value: `${(bytes / 2 ** 20).toFixed(1)} MiB` },
      { label: 'RSS before', value: `${(baseline / 2 ** 20).toFixed(0)} MiB` },
      { label: 'RSS peak growth', value: `${growthMiB.toFixed(0)} MiB` },
      {
        label: 'time',
        value: `${seconds.toFixed(1)} s (${Math.round(written.rows / seconds).toLocaleString('en')} websites/s)`,
      },
    ],
    notes: [
      machineDescription(),
      'The writer of review (writeRecordsWorkbook) fed batches of 500 as its cursor FETCHes them, into a sink that takes bytes as the S3 upload does; PostgreSQL and S3 are left out (each holds one batch or one 8 MiB part by design).',
      `BENCH_EXPORT_ROWS=${total}${process.env.BENCH_EXPORT_ROWS ? ' (set)' : ' (default: the root’s 86k websites ×10)'}.`,
    ],
    targets,
  };
}
