// Saves bytes as a file the browser downloads; works from file:// with no network.
export function download(bytes: Uint8Array | string, fileName: string, type: string): void {
  saveBlob(new Blob([bytes as BlobPart], { type }), fileName);
}

/** Offers a blob to the user as a file named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** 20260501-1000, for file names. */
export function stamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
}

/** Reads a chosen file's bytes. */
export async function readChosenFile(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Characters Windows refuses in file names. */
export function safeFileName(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
      .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')
      .trim()
      .slice(0, 60)
  );
}
