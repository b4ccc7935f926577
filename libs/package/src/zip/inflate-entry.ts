// Inflates one entry while counting the bytes it REALLY produces, and stops as soon as they
// pass the per-entry or total limit. Compressed input is fed in small slices so one slice can
// never produce much more than what is left of the budget (deflate expands at most ~1032:1).
import { Inflate } from 'fflate';
import { PackageError } from '../errors';
import { formatBytes } from '../limits';
import { crc32 } from './crc32';
import { ZipEntry } from './central-directory';

export interface InflateBudget {
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /** Inflated bytes already spent by earlier entries; updated by readEntry. */
  usedBytes: number;
}

const MAX_DEFLATE_RATIO = 1032;
const MIN_SLICE = 256;
const MAX_SLICE = 64 * 1024;

export function readEntry(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const output = entry.method === 0 ? readStored(data, entry, budget) : inflate(data, entry, budget);
  if (output.length !== entry.uncompressedSize || crc32(output) !== entry.crc32) {
    throw new PackageError(
      'ZIP_CORRUPT',
      `上报文件已损坏：“${entry.name}”的内容与校验值不符。请重新生成或重新拷贝上报文件`,
      {
        reason: 'size or CRC-32 mismatch',
        entry: entry.name,
      },
    );
  }
  budget.usedBytes += output.length;
  return output;
}

function readStored(data: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  checkBudget(entry, budget, data.length);
  return data;
}

function inflate(data: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    checkBudget(entry, budget, produced);
    chunks.push(chunk);
  });
  try {
    let offset = 0;
    do {
      const slice = sliceSize(entry, budget, produced);
      const end = Math.min(data.length, offset + slice);
      inflater.push(data.subarray(offset, end), end === data.length);
      offset = end;
    } while (offset < data.length);
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError('ZIP_CORRUPT', `上报文件已损坏：“${entry.name}”无法解压。请重新生成或重新拷贝上报文件`, {
      reason: error instanceof Error ? error.message : String(error),
      entry: entry.name,
    });
  }
  return concat(chunks, produced);
}

/** Small enough that one slice cannot inflate far past the remaining budget. */
function sliceSize(entry: ZipEntry, budget: InflateBudget, produced: number): number {
  const left = Math.min(budget.maxEntryBytes - produced, budget.maxTotalBytes - budget.usedBytes - produced);
  return Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.floor(left / MAX_DEFLATE_RATIO)));
}

function checkBudget(entry: ZipEntry, budget: InflateBudget, produced: number): void {
  if (produced > budget.maxEntryBytes) {
    throw new PackageError(
      'ENTRY_TOO_LARGE',
      `上报文件中的“${entry.name}”解压后超过 ${formatBytes(budget.maxEntryBytes)}，已停止解压`,
      {
        entry: entry.name,
        limit: budget.maxEntryBytes,
        inflatedBytesWhenStopped: produced,
        claimedBytes: entry.uncompressedSize,
      },
    );
  }
  if (budget.usedBytes + produced > budget.maxTotalBytes) {
    throw new PackageError(
      'TOTAL_TOO_LARGE',
      `上报文件解压后的总大小超过 ${formatBytes(budget.maxTotalBytes)}，已在“${entry.name}”处停止解压`,
      {
        entry: entry.name,
        limit: budget.maxTotalBytes,
        inflatedBytesWhenStopped: budget.usedBytes + produced,
      },
    );
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
