// Reading cell values as the text a user sees, whatever Excel stored: numbers (a mobile
// typed without a leading apostrophe), rich text, hyperlinks (Excel turns typed URLs into
// links), formula results.
import type { CellValue } from 'exceljs';

export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: CellValue }).result ?? null);
  if ('error' in value) return '';
  return String(value);
}

/** 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Header text without the required marker and spaces: "网站名称 *" → "网站名称". */
export function headerKey(text: string): string {
  return text.replace(/[*＊\s]/g, '');
}
