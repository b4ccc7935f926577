/** What a sheet's zip entry may hold unwritten before a writer waits for it. */
const ENTRY_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * exceljs's streaming sheet (its StreamBuf in batch mode) hands each 64 KiB chunk to the zip
 * entry without waiting for it: rows produced faster than they are deflated queue there without
 * bound (2.3 GiB for a records export of 860,000 sites, measured). A writer calls this after each
 * batch of rows: it waits while the entry holds more than ENTRY_QUEUED_BYTES, so memory is
 * bounded by that and not by the size of the export. The entry is archiver's readable-stream
 * PassThrough (v2, no `writableLength`, only its state).
 */
export async function entryDrained(sheet: unknown): Promise<void> {
  type Entry = { writableLength?: number; _writableState?: { length?: number } };
  const pipes = (sheet as { stream?: { pipes?: Entry[] } }).stream?.pipes ?? [];
  const queued = (pipe: Entry) => pipe.writableLength ?? pipe._writableState?.length ?? 0;
  while (pipes.some((pipe) => queued(pipe) > ENTRY_QUEUED_BYTES))
    await new Promise((resolve) => setTimeout(resolve, 2));
}
