// Inflates one entry while counting the bytes it REALLY produces, and stops as soon as they
// pass the per-entry or total limit (the codec stops the inflater itself, see codec.ts).
import { InflateResult, PackageCodec, portableCodec } from '../codec';
import { PackageError } from '../errors';
import { formatBytes } from '../limits';
import { ZipEntry } from './central-directory';

export interface InflateBudget {
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /** Inflated bytes already spent by earlier entries; updated by readEntry. */
  usedBytes: number;
}

export function readEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
  codec: PackageCodec = portableCodec,
): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const output = entry.method === 0 ? readStored(data, entry, budget) : inflate(data, entry, budget, codec);
  if (output.length !== entry.uncompressedSize || codec.crc32(output) !== entry.crc32) {
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

function inflate(data: Uint8Array, entry: ZipEntry, budget: InflateBudget, codec: PackageCodec): Uint8Array {
  const left = Math.min(budget.maxEntryBytes, budget.maxTotalBytes - budget.usedBytes);
  let result: InflateResult;
  try {
    result = codec.inflateRaw(data, left);
  } catch (error) {
    throw new PackageError('ZIP_CORRUPT', `上报文件已损坏：“${entry.name}”无法解压。请重新生成或重新拷贝上报文件`, {
      reason: error instanceof Error ? error.message : String(error),
      entry: entry.name,
    });
  }
  if (!result.ok) throw overBudget(entry, budget, result.producedBytes);
  return result.bytes;
}

function checkBudget(entry: ZipEntry, budget: InflateBudget, produced: number): void {
  if (produced > budget.maxEntryBytes || budget.usedBytes + produced > budget.maxTotalBytes)
    throw overBudget(entry, budget, produced);
}

/** The refusal for an entry that passed the per-entry limit, or else the total one. */
function overBudget(entry: ZipEntry, budget: InflateBudget, produced: number): PackageError {
  if (produced > budget.maxEntryBytes) {
    return new PackageError(
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
  return new PackageError(
    'TOTAL_TOO_LARGE',
    `上报文件解压后的总大小超过 ${formatBytes(budget.maxTotalBytes)}，已在“${entry.name}”处停止解压`,
    {
      entry: entry.name,
      limit: budget.maxTotalBytes,
      inflatedBytesWhenStopped: budget.usedBytes + produced,
    },
  );
}
