// Entry of the reader thread (see read-upload-thread.ts). Given its input as workerData (an Excel
// template): reads it and answers once. Otherwise (packages): reads each { id, input } it is sent
// and answers each with its id, for as long as it is kept.
import { parentPort, workerData } from 'node:worker_threads';
import { readOrPrepare, toWire, WorkerInput, WorkerReply } from './read-upload-thread';

const answer = (input: WorkerInput, post: (reply: WorkerReply) => void) =>
  readOrPrepare(input).then(
    (result) => post({ ok: true, result }),
    (err: unknown) => post({ ok: false, error: toWire(err) }),
  );

if (workerData) void answer(workerData as WorkerInput, (reply) => parentPort!.postMessage(reply));
else
  parentPort!.on('message', ({ id, input }: { id: number; input: WorkerInput }) => {
    void answer(input, (reply) => parentPort!.postMessage({ id, ...reply }));
  });
