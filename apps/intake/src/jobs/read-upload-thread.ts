import { PackageKind } from '@app/contracts';
import { PackageError, PackageErrorCode, TemplateError, TemplateErrorCode } from '@app/package';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { prepareStage, PreparedUpload } from './prepare-stage';
import { readsAsPackage, readUpload, ReadUpload } from './read-upload';

/**
 * The compiled worker beside this file (in dist/); when running from TypeScript sources (the
 * tests), the built one in dist/ if there is one, so a test's large package stalls the event
 * loop no more than it would in production.
 */
const COMPILED_WORKER = [
  join(__dirname, 'read-upload.worker.js'),
  join(__dirname, '../../../../dist/apps/intake/src/jobs/read-upload.worker.js'),
].find((file) => existsSync(file));

/**
 * A ZIP package up to this size (≈100 forms) is read on the calling thread: ≈50 ms at most,
 * about what starting a worker costs. Anything larger (≈1.5 s for 5,000 forms), and every
 * Excel template (exceljs needs ≈0.1 s even for 10 forms, ≈0.3 s for 400), goes to a worker
 * thread: on the event loop it would stall everything else — in the one-process default,
 * every request of every user.
 */
export const IN_THREAD_MAX_BYTES = 128 * 1024;

function onThisThread(input: WorkerInput): boolean {
  return input.bytes.length <= IN_THREAD_MAX_BYTES && readsAsPackage(input.kind, input.bytes);
}

/**
 * Bounds on reading a workbook on top of the template limits (rows, cells, bytes): a crafted
 * file that keeps the reader busy or makes it allocate without end stops here, the thread is
 * ended and the import refused (TEMPLATE_TOO_LARGE). A package's reading is bounded by the
 * package limits alone.
 */
export const TEMPLATE_READ_LIMITS = { timeoutMs: 120_000, maxHeapMb: 2048 };

export interface WorkerInput {
  kind: PackageKind;
  bytes: Uint8Array;
  maxUploadBytes: number;
  /** Set: answer the rows to stage (prepareStage) instead of the forms. */
  stage?: { withContent: boolean };
}

export type WireError =
  | { kind: 'package'; code: PackageErrorCode; message: string; details: Record<string, unknown> }
  | { kind: 'template'; code: TemplateErrorCode; message: string; details: Record<string, unknown> }
  | { kind: 'error'; message: string; stack?: string };

export type WorkerReply = { ok: true; result: ReadUpload | PreparedUpload } | { ok: false; error: WireError };

/**
 * readUpload() on a worker thread (a crash or a runaway read stays there): a package on the
 * reader thread kept warm between reads, an Excel template on a thread of its own.
 * The result and the refusals (PackageError / TemplateError with their codes) come back as
 * they would from readUpload() itself. `workerFile` null → on this thread.
 */
export function readUploadOffThread(
  input: WorkerInput,
  workerFile: string | null = COMPILED_WORKER ?? null,
  templateLimits = TEMPLATE_READ_LIMITS,
): Promise<ReadUpload> {
  return runReader<ReadUpload>({ ...input, stage: undefined }, workerFile, templateLimits);
}

/**
 * Reads an upload and encodes the rows to stage, on a worker thread like readUploadOffThread:
 * the forms never come back to the event loop as objects, only the encoded batches.
 */
export function prepareUploadOffThread(
  input: Omit<WorkerInput, 'stage'>,
  withContent: boolean,
  workerFile: string | null = COMPILED_WORKER ?? null,
): Promise<PreparedUpload> {
  return runReader<PreparedUpload>({ ...input, stage: { withContent } }, workerFile, TEMPLATE_READ_LIMITS);
}

/** What the reader thread does with its input (also on this thread, for small packages). */
export async function readOrPrepare(input: WorkerInput): Promise<ReadUpload | PreparedUpload> {
  const upload = await readUpload(input.kind, input.bytes, input.maxUploadBytes);
  return input.stage ? prepareStage(upload, input.stage.withContent) : upload;
}

/**
 * How long a package reader thread stays after a read, for the next job. A new thread must load
 * its modules and run its code cold: of a 5,000-form import's ~2.5 s, reading on a new thread took
 * ~1.2 s against ~0.7 s on a warm one (AMD EPYC VM, 2026-12-03). Then it ends, and its memory goes.
 */
export const READER_WARM_MS = 30_000;

interface ReaderThread {
  worker: Worker;
  file: string;
  timer?: NodeJS.Timeout;
  /** Removes the listeners of its current read (or of its wait while kept). */
  detach?: () => void;
}

/**
 * Adds listeners to a reader thread and answers a function that removes exactly those: the
 * Worker's own listeners (which keep its message port referenced) must stay.
 */
function listen(
  worker: Worker,
  handlers: { message?: (reply: never) => void; error: (err: Error) => void; exit: (code: number) => void },
): () => void {
  const entries = Object.entries(handlers).filter(([, handler]) => handler) as Array<
    [string, (...args: any[]) => void]
  >;
  for (const [event, handler] of entries) worker.on(event, handler);
  return () => {
    for (const [event, handler] of entries) worker.off(event, handler);
  };
}

/** The one package reader thread kept warm between reads, if any. */
let parked: ReaderThread | undefined;
let nextReadId = 1;

/** The warm thread when it runs `file`, else a new one. */
function takeReader(file: string): ReaderThread {
  const reader = parked;
  if (reader && reader.file === file) {
    parked = undefined;
    clearTimeout(reader.timer);
    reader.detach?.();
    reader.worker.ref();
    return reader;
  }
  return { worker: new Worker(file), file };
}

/** Keeps a thread that answered for the next read, in place of any kept before it. */
function park(reader: ReaderThread): void {
  reader.detach?.();
  const before = parked;
  if (before) {
    before.detach?.();
    clearTimeout(before.timer);
    void before.worker.terminate();
  }
  parked = reader;
  const drop = () => {
    if (parked === reader) parked = undefined;
  };
  reader.detach = listen(reader.worker, { error: drop, exit: drop });
  reader.worker.unref();
  reader.timer = setTimeout(() => {
    drop();
    void reader.worker.terminate();
  }, READER_WARM_MS);
  reader.timer.unref();
}

/** Ends the warm reader thread now (a service shutting down). */
export async function endReaderThreads(): Promise<void> {
  const reader = parked;
  parked = undefined;
  if (!reader) return;
  clearTimeout(reader.timer);
  await reader.worker.terminate();
}

function runReader<T extends ReadUpload | PreparedUpload>(
  input: WorkerInput,
  workerFile: string | null,
  templateLimits: typeof TEMPLATE_READ_LIMITS,
): Promise<T> {
  if (!workerFile || onThisThread(input)) return readOrPrepare(input) as Promise<T>;
  return readsAsPackage(input.kind, input.bytes)
    ? readOnWarmThread<T>(input, workerFile)
    : readTemplateOnOwnThread<T>(input, workerFile, templateLimits);
}

/**
 * A package on the warm reader thread (or a new one): it is bounded by the package limits alone,
 * so a thread that answered can read the next. A thread that dies fails only its read.
 */
function readOnWarmThread<T>(input: WorkerInput, workerFile: string): Promise<T> {
  const reader = takeReader(workerFile);
  const id = nextReadId++;
  return new Promise((resolve, reject) => {
    const { worker } = reader;
    reader.detach = listen(worker, {
      message: (reply: WorkerReply & { id: number }) => {
        if (reply.id !== id) return;
        park(reader);
        if (reply.ok) resolve(reply.result as T);
        else reject(fromWire(reply.error));
      },
      error: (err) => {
        reader.detach?.();
        void worker.terminate();
        reject(err);
      },
      exit: (code) => {
        reader.detach?.();
        reject(new Error(`package reader thread exited with code ${code}`));
      },
    });
    worker.postMessage({ id, input });
  });
}

/**
 * An Excel template on a thread of its own, ended after it: exceljs reading a crafted workbook is
 * bounded only by the time and heap limits here (TEMPLATE_TOO_LARGE past them).
 */
function readTemplateOnOwnThread<T>(
  input: WorkerInput,
  workerFile: string,
  templateLimits: typeof TEMPLATE_READ_LIMITS,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const worker = new Worker(workerFile, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: templateLimits.maxHeapMb },
    });
    const timer = setTimeout(() => {
      settle(() => reject(tooComplex(`读取超过了${Math.round(templateLimits.timeoutMs / 1000)}秒`)));
      void worker.terminate();
    }, templateLimits.timeoutMs);
    worker.once('message', (reply: WorkerReply) => {
      settle(() => (reply.ok ? resolve(reply.result as T) : reject(fromWire(reply.error))));
      void worker.terminate();
    });
    worker.once('error', (err) =>
      settle(() =>
        reject(
          (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooComplex('读取时占用的内存超过了上限')
            : err,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`package reader thread exited with code ${code}`))));
  });
}

function tooComplex(what: string): TemplateError {
  return new TemplateError(
    'TEMPLATE_TOO_LARGE',
    `Excel文件过大或过于复杂：${what}。请分成几个文件导入，或另存为 .xlsx 后再导入`,
    {
      reason: what,
    },
  );
}

export function toWire(err: unknown): WireError {
  if (err instanceof PackageError)
    return { kind: 'package', code: err.code, message: err.message, details: err.details };
  if (err instanceof TemplateError)
    return { kind: 'template', code: err.code, message: err.message, details: err.details };
  return err instanceof Error
    ? { kind: 'error', message: err.message, stack: err.stack }
    : { kind: 'error', message: String(err) };
}

function fromWire(error: WireError): Error {
  if (error.kind === 'package') return new PackageError(error.code, error.message, error.details);
  if (error.kind === 'template') return new TemplateError(error.code, error.message, error.details);
  const err = new Error(error.message);
  if (error.stack) err.stack = error.stack;
  return err;
}
