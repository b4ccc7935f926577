import { AnswerEntry, AssessmentErrorCodes, ScoreSheet, SelfAssessmentAnswers, SheetAnswers } from '@app/contracts';
import { DomainError } from '@app/platform';
import { itemsByKey } from './engine';

const MAX_NOTE = 500;
const MAX_URL = 500;
const ENTRY_FIELDS = new Set(['value', 'note', 'evidenceUrl']);

/** Checks the shape of each entry (value, note, evidence link) and keeps them tidy. */
export function entries<V>(given: Record<string, AnswerEntry<V>>, part: string): Record<string, AnswerEntry<V>> {
  const keys = Object.keys(given);
  if (keys.length > 200) throw invalid(`${part} 最多200项`, part);
  const tidy: Record<string, AnswerEntry<V>> = {};
  for (const key of keys) {
    const entry = given[key] as unknown;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !('value' in entry))
      throw invalid(`“${key}”应包含答案 value`, key);
    const unknown = Object.keys(entry).filter((field) => !ENTRY_FIELDS.has(field));
    if (unknown.length > 0) throw invalid(`“${key}”含有不认识的字段：${unknown.join('、')}`, key);
    const { value, note, evidenceUrl } = entry as AnswerEntry<V>;
    if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > MAX_NOTE))
      throw invalid(`“${key}”的说明应为不超过${MAX_NOTE}字的文字`, key);
    if (evidenceUrl !== undefined && evidenceUrl !== null && !isEvidenceUrl(evidenceUrl))
      throw invalid(`“${key}”的证据链接应为 http:// 或 https:// 开头、不超过${MAX_URL}字符的网址`, key);
    tidy[key] = { value, note: note?.trim() || null, evidenceUrl: evidenceUrl?.trim() || null };
  }
  return tidy;
}

function isEvidenceUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_URL) return false;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Only the answers whose keys the sheet has. */
export function onSheet(sheet: ScoreSheet, answers: SelfAssessmentAnswers): SelfAssessmentAnswers {
  const vetoKeys = new Set(sheet.vetoes.map((veto) => veto.key));
  const items = itemsByKey(sheet);
  return {
    vetoes: Object.fromEntries(Object.entries(answers.vetoes).filter(([key]) => vetoKeys.has(key))),
    items: Object.fromEntries(Object.entries(answers.items).filter(([key]) => items.has(key))),
  };
}

export function valuesOf(answers: SelfAssessmentAnswers): SheetAnswers {
  return {
    vetoes: Object.fromEntries(Object.entries(answers.vetoes).map(([key, entry]) => [key, entry.value])),
    items: Object.fromEntries(Object.entries(answers.items).map(([key, entry]) => [key, entry.value])),
  };
}

function invalid(message: string, key: string): DomainError {
  return new DomainError(AssessmentErrorCodes.ASSESSMENT_INVALID_ANSWER, message, { key });
}
