// Entry of the package reader thread (see read-upload-thread.ts): reads one upload, answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { readOrPrepare, toWire, WorkerInput, WorkerReply } from './read-upload-thread';

const input = workerData as WorkerInput;
readOrPrepare(input).then(
  (result) => parentPort!.postMessage({ ok: true, result } satisfies WorkerReply),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: toWire(err) } satisfies WorkerReply),
);
