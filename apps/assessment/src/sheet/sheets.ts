import { Injectable } from '@nestjs/common';
import { ScoreSheet } from '@app/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSheet } from './sheet-schema';

/**
 * The score sheet versions this release knows, oldest first; the last is the current one, on
 * which new self-assessments are scored. A published version is never edited: a change is a
 * new file and a new entry here (docs/ASSESSMENT.md). Results keep the version they used.
 */
export const SHEET_FILES = ['census-2015.v1.json'] as const;

const SHEET_DIR = join(__dirname, '..', 'sheets');

export function loadSheet(file: string): ScoreSheet {
  return parseSheet(JSON.parse(readFileSync(join(SHEET_DIR, file), 'utf8')), file);
}

@Injectable()
export class ScoreSheets {
  private readonly sheets: ScoreSheet[] = SHEET_FILES.map(loadSheet);

  current(): ScoreSheet {
    return this.sheets[this.sheets.length - 1];
  }

  /** A version results were computed with; null when this release does not know it. */
  find(id: string, version: string): ScoreSheet | null {
    return this.sheets.find((sheet) => sheet.id === id && sheet.version === version) ?? null;
  }
}
