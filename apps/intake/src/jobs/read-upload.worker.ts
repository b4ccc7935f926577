// Entry of the package reader thread (see read-upload-thread.ts): reads one upload, answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { readUpload } from './read-upload';
import { toWire, WorkerInput, WorkerReply } from './read-upload-thread';

const input = workerData as WorkerInput;
readUpload(input.kind, input.bytes, input.maxUploadBytes).then(
  (result) => parentPort!.postMessage({ ok: true, result } satisfies WorkerReply),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: toWire(err) } satisfies WorkerReply),
);
