import {
  AssessmentErrorCodes,
  AssessmentResult,
  ItemDeduction,
  ScoreSheet,
  SheetAnswers,
  SheetItem,
  VERDICT_LABELS,
} from '@app/contracts';
import { DomainError } from '@app/platform';

/** Points to one decimal place, half away from zero, without binary noise (0.1 + 0.2 = 0.3). */
export function roundPoints(value: number): number {
  return Math.round((value + Math.sign(value) * Number.EPSILON) * 10) / 10;
}

/**
 * Refuses answers naming a veto or item the sheet does not have (before anything is scored),
 * and answers of the wrong kind. A missing answer is allowed here (a draft); `evaluate` needs all.
 */
export function checkAnswers(sheet: ScoreSheet, answers: SheetAnswers): void {
  const vetoKeys = new Set(sheet.vetoes.map((veto) => veto.key));
  const items = itemsByKey(sheet);
  for (const key of Object.keys(answers.vetoes)) {
    if (!vetoKeys.has(key)) throw unknownItem(sheet, key);
    if (typeof answers.vetoes[key] !== 'boolean')
      throw new DomainError(AssessmentErrorCodes.ASSESSMENT_INVALID_ANSWER, `单项否决“${key}”的答案应为是或否`, {
        key,
      });
  }
  for (const [key, value] of Object.entries(answers.items)) {
    const item = items.get(key);
    if (!item) throw unknownItem(sheet, key);
    const problem = answerProblem(item, value);
    if (problem)
      throw new DomainError(AssessmentErrorCodes.ASSESSMENT_INVALID_ANSWER, `“${item.name}”${problem}`, { key });
  }
}

/**
 * Scores answers on a sheet, any version: a veto answered yes fails the site outright and no
 * item is scored; otherwise each item's deduction (capped at its maximum) is taken from the
 * sheet's total, and the site passes (合格) at `passScore` or more. Every veto must be answered,
 * and every item unless a veto decided.
 */
export function evaluate(sheet: ScoreSheet, answers: SheetAnswers): AssessmentResult {
  checkAnswers(sheet, answers);
  const unansweredVetoes = sheet.vetoes.filter((veto) => answers.vetoes[veto.key] === undefined);
  if (unansweredVetoes.length > 0) throw incomplete(unansweredVetoes.map((veto) => veto));
  const vetoes = sheet.vetoes
    .filter((veto) => answers.vetoes[veto.key] === true)
    .map((veto) => ({ key: veto.key, name: veto.name }));
  const base = { sheetId: sheet.id, sheetVersion: sheet.version };
  if (vetoes.length > 0)
    return { ...base, verdict: 'FAIL', verdictLabel: VERDICT_LABELS.FAIL, score: null, vetoes, deductions: [] };
  const unanswered = sheet.groups
    .flatMap((group) => group.items)
    .filter((item) => answers.items[item.key] === undefined);
  if (unanswered.length > 0) throw incomplete(unanswered);
  const deductions: ItemDeduction[] = sheet.groups.flatMap((group) =>
    group.items.map((item) => {
      const value = answers.items[item.key];
      return {
        key: item.key,
        name: item.name,
        group: group.name,
        value,
        maxPoints: item.maxPoints,
        deducted: roundPoints(Math.min(item.maxPoints, rawDeduction(item, value))),
      };
    }),
  );
  const score = roundPoints(sheet.totalPoints - deductions.reduce((sum, item) => sum + item.deducted, 0));
  const verdict = score >= sheet.passScore ? 'PASS' : 'FAIL';
  return { ...base, verdict, verdictLabel: VERDICT_LABELS[verdict], score, vetoes, deductions };
}

function rawDeduction(item: SheetItem, value: number | boolean): number {
  const rule = item.deduction;
  switch (rule.kind) {
    case 'perCount':
      return (value as number) * rule.points;
    case 'perStep':
      // Whole steps only: 2.9 % at "each 1 %" is two steps. The small tolerance keeps 3.0000001 at three.
      return Math.floor((value as number) / rule.step + 1e-9) * rule.points;
    case 'flag':
      return value === true ? rule.points : 0;
  }
}

/** Why a value does not fit the item's deduction rule, or null. */
export function answerProblem(item: SheetItem, value: unknown): string | null {
  switch (item.deduction.kind) {
    case 'perCount':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100_000
        ? null
        : '应填写不小于0的整数（发现的问题个数）';
    case 'perStep':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100_000
        ? null
        : `应填写不小于0的数值（单位：${item.deduction.unit}）`;
    case 'flag':
      return typeof value === 'boolean' ? null : '的答案应为是或否';
  }
}

export function itemsByKey(sheet: ScoreSheet): Map<string, SheetItem> {
  return new Map(sheet.groups.flatMap((group) => group.items.map((item) => [item.key, item] as const)));
}

/** The veto or item a key names on a sheet (undefined when the sheet has no such key). */
export function sheetEntry(sheet: ScoreSheet, key: string): { key: string; name: string } | undefined {
  return sheet.vetoes.find((veto) => veto.key === key) ?? itemsByKey(sheet).get(key);
}

export function unknownItem(sheet: ScoreSheet, key: string): DomainError {
  return new DomainError(
    AssessmentErrorCodes.ASSESSMENT_UNKNOWN_ITEM,
    `评分表（${sheet.title}，第${sheet.version}版）中没有“${key}”这一项`,
    { key, sheetId: sheet.id, sheetVersion: sheet.version },
  );
}

function incomplete(missing: Array<{ key: string; name: string }>): DomainError {
  return new DomainError(
    AssessmentErrorCodes.ASSESSMENT_INCOMPLETE,
    `还有${missing.length}项未填写：${missing.map((m) => m.name).join('、')}`,
    { keys: missing.map((m) => m.key) },
  );
}
