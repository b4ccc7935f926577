import { AssessmentErrorCodes, ScoreSheet, SheetAnswers } from '@app/contracts';
import { DomainError } from '@app/platform';
import { evaluate, roundPoints } from './engine';
import { loadSheet, SHEET_FILES } from './sheets';
import { sheetProblems } from './sheet-schema';

const census = loadSheet('census-2015.v1.json');

/** No veto, and every item of the census sheet with no problem found. */
function clean(): SheetAnswers {
  return {
    vetoes: Object.fromEntries(census.vetoes.map((veto) => [veto.key, false])),
    items: {
      'homepage-availability': 0,
      'link-availability': 0,
      'homepage-columns': 0,
      'basic-information': 0,
      consultation: 0,
      survey: false,
      interview: false,
      'service-guides': 0,
      attachments: 0,
      'online-systems': 0,
    },
  };
}

function withItems(items: Record<string, number | boolean>): SheetAnswers {
  const answers = clean();
  return { ...answers, items: { ...answers.items, ...items } };
}

function refusal(work: () => unknown): DomainError {
  try {
    work();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** A sheet of another version and shape: the engine reads everything from the data. */
const small: ScoreSheet = {
  id: 'trial',
  version: '2',
  title: '试行评分表',
  source: '测试用',
  totalPoints: 10,
  passScore: 6,
  vetoes: [{ key: 'down', name: '无法访问', rule: '打不开' }],
  groups: [
    {
      key: 'all',
      name: '全部',
      items: [
        {
          key: 'typos',
          name: '错别字',
          rule: '错别字个数',
          maxPoints: 4,
          deduction: { kind: 'perCount', points: 0.3, unit: '个', text: '每个扣0.3分' },
        },
        {
          key: 'slow',
          name: '慢',
          rule: '慢的比例',
          maxPoints: 6,
          deduction: { kind: 'perStep', points: 1.5, step: 2, unit: '%', text: '每2%扣1.5分' },
        },
      ],
    },
  ],
};

describe('the census 2015 score sheet (data)', () => {
  it('is a sound sheet: five vetoes, ten items in four groups totalling 100, pass at 60', () => {
    expect(sheetProblems(census)).toEqual([]);
    expect(census.vetoes.map((veto) => veto.name)).toEqual([
      '站点无法访问',
      '网站不更新',
      '栏目不更新',
      '严重错误',
      '互动回应差',
    ]);
    expect(census.groups.map((group) => [group.name, group.items.map((item) => item.name)])).toEqual([
      ['网站可用性', ['首页可用性', '链接可用性']],
      ['信息更新情况', ['首页栏目', '基本信息']],
      ['互动回应情况', ['政务咨询类栏目', '调查征集类栏目', '互动访谈类栏目']],
      ['服务实用情况', ['办事指南', '附件下载', '在线系统']],
    ]);
    expect(census.totalPoints).toBe(100);
    expect(census.passScore).toBe(60);
    expect(census.source).toContain('国办发〔2015〕15号');
  });

  it('every shipped version loads and validates', () => {
    for (const file of SHEET_FILES) expect(sheetProblems(loadSheet(file))).toEqual([]);
  });
});

describe('the sheet check', () => {
  it('names what is wrong: maxima not adding up, duplicate keys, bad deduction, unknown field', () => {
    const broken = JSON.parse(JSON.stringify(small)) as ScoreSheet & { extra?: string };
    broken.groups[0].items[1].maxPoints = 5;
    expect(sheetProblems(broken)).toEqual(['各项满分之和为 9，与总分 10 不符']);
    broken.groups[0].items[1].maxPoints = 6;
    broken.groups[0].items[1].key = 'typos';
    expect(sheetProblems(broken)).toEqual(['键 typos 重复']);
    broken.groups[0].items[1].key = 'slow';
    (broken.groups[0].items[1].deduction as { kind: string }).kind = 'percent';
    expect(sheetProblems(broken).join()).toContain('groups.0.items.1.deduction.kind');
    (broken.groups[0].items[1].deduction as { kind: string }).kind = 'perStep';
    broken.extra = 'x';
    expect(sheetProblems(broken).join()).toContain('extra');
    expect(sheetProblems([])).toEqual(['评分表应为 JSON 对象']);
  });
});

describe('evaluate', () => {
  it.each([
    ['nothing found', {}, 100, 'PASS'],
    ['3 broken links', { 'link-availability': 3 }, 97, 'PASS'],
    ['homepage down 2.9 %: two whole steps', { 'homepage-availability': 2.9 }, 90, 'PASS'],
    ['homepage down 4 %', { 'homepage-availability': 4 }, 80, 'PASS'],
    ['2 stale homepage columns and no survey', { 'homepage-columns': 2, survey: true }, 87, 'PASS'],
    ['one unreachable online system', { 'online-systems': 1 }, 97.5, 'PASS'],
    ['exactly 60: passes', { 'homepage-availability': 4, 'link-availability': 15, survey: true }, 60, 'PASS'],
    [
      'a fraction of a count is refused, not rounded',
      { 'homepage-availability': 4, 'link-availability': 15, survey: true, 'online-systems': 0.2 },
      null,
      null,
    ],
  ] as const)('%s', (_name, items, score, verdict) => {
    if (score === null) {
      // 0.2 of a system is not a count: refused, not rounded.
      expect(refusal(() => evaluate(census, withItems(items))).code).toBe(
        AssessmentErrorCodes.ASSESSMENT_INVALID_ANSWER,
      );
      return;
    }
    const result = evaluate(census, withItems(items));
    expect(result.score).toBe(score);
    expect(result.verdict).toBe(verdict);
    expect(result.verdictLabel).toBe(verdict === 'PASS' ? '合格' : '不合格');
    expect(result.vetoes).toEqual([]);
    expect(result).toMatchObject({ sheetId: 'census-2015', sheetVersion: '1' });
  });

  it('fails under 60 with the deduction of each item', () => {
    const result = evaluate(
      census,
      withItems({ 'homepage-availability': 4, 'link-availability': 15, survey: true, 'online-systems': 1 }),
    );
    expect(result).toMatchObject({ verdict: 'FAIL', verdictLabel: '不合格', score: 57.5 });
    expect(result.deductions.filter((d) => d.deducted > 0)).toEqual([
      { key: 'homepage-availability', name: '首页可用性', group: '网站可用性', value: 4, maxPoints: 20, deducted: 20 },
      { key: 'link-availability', name: '链接可用性', group: '网站可用性', value: 15, maxPoints: 15, deducted: 15 },
      { key: 'survey', name: '调查征集类栏目', group: '互动回应情况', value: true, maxPoints: 5, deducted: 5 },
      { key: 'online-systems', name: '在线系统', group: '服务实用情况', value: 1, maxPoints: 5, deducted: 2.5 },
    ]);
    expect(result.deductions).toHaveLength(10);
  });

  it('caps each deduction at its item maximum', () => {
    const result = evaluate(census, withItems({ 'link-availability': 400, 'homepage-columns': 9, consultation: 50 }));
    const deducted = Object.fromEntries(result.deductions.map((d) => [d.key, d.deducted]));
    expect(deducted).toMatchObject({ 'link-availability': 15, 'homepage-columns': 20, consultation: 5 });
    expect(result.score).toBe(60);
    expect(result.verdict).toBe('PASS');
  });

  it('a veto fails the site outright, scores nothing and needs no item answered', () => {
    const answers = clean();
    answers.vetoes['columns-not-updated'] = true;
    answers.vetoes['serious-errors'] = true;
    answers.items = {};
    expect(evaluate(census, answers)).toEqual({
      sheetId: 'census-2015',
      sheetVersion: '1',
      verdict: 'FAIL',
      verdictLabel: '不合格',
      score: null,
      vetoes: [
        { key: 'columns-not-updated', name: '栏目不更新' },
        { key: 'serious-errors', name: '严重错误' },
      ],
      deductions: [],
    });
  });

  it('refuses an item the sheet does not have, even beside a veto', () => {
    const answers = clean();
    answers.vetoes['site-unreachable'] = true;
    answers.items['page-beauty'] = 3;
    const error = refusal(() => evaluate(census, answers));
    expect(error.code).toBe(AssessmentErrorCodes.ASSESSMENT_UNKNOWN_ITEM);
    expect(error.message).toBe('评分表（全国政府网站普查评分表（2015），第1版）中没有“page-beauty”这一项');
    const unknownVeto = clean();
    unknownVeto.vetoes['too-ugly'] = false;
    expect(refusal(() => evaluate(census, unknownVeto)).code).toBe(AssessmentErrorCodes.ASSESSMENT_UNKNOWN_ITEM);
  });

  it('refuses answers of the wrong kind and names what is missing', () => {
    expect(refusal(() => evaluate(census, withItems({ 'link-availability': -1 }))).message).toBe(
      '“链接可用性”应填写不小于0的整数（发现的问题个数）',
    );
    expect(refusal(() => evaluate(census, withItems({ survey: 1 }))).code).toBe(
      AssessmentErrorCodes.ASSESSMENT_INVALID_ANSWER,
    );
    const missing = clean();
    delete missing.items.attachments;
    delete missing.vetoes['poor-response'];
    const error = refusal(() => evaluate(census, missing));
    expect(error.code).toBe(AssessmentErrorCodes.ASSESSMENT_INCOMPLETE);
    expect(error.message).toBe('还有1项未填写：互动回应差');
    missing.vetoes['poor-response'] = false;
    expect(refusal(() => evaluate(census, missing)).message).toBe('还有1项未填写：附件下载');
  });

  it('works from any sheet version, rounding to one decimal place', () => {
    const result = evaluate(small, { vetoes: { down: false }, items: { typos: 3, slow: 5.9 } });
    // 3 × 0.3 = 0.9 (not 0.8999999999999999); 5.9 % is two whole steps of 2 %: 3 points.
    expect(result.deductions.map((d) => d.deducted)).toEqual([0.9, 3]);
    expect(result).toMatchObject({ sheetId: 'trial', sheetVersion: '2', score: 6.1, verdict: 'PASS' });
    expect(evaluate(small, { vetoes: { down: false }, items: { typos: 14, slow: 0 } })).toMatchObject({
      score: 6,
      verdict: 'PASS',
    });
    expect(evaluate(small, { vetoes: { down: false }, items: { typos: 15, slow: 0 } })).toMatchObject({
      score: 6,
    });
    expect(evaluate(small, { vetoes: { down: false }, items: { typos: 1, slow: 6 } })).toMatchObject({
      score: 5.2,
      verdict: 'FAIL',
    });
  });

  it('rounds half away from zero without binary noise', () => {
    expect(roundPoints(0.1 + 0.2)).toBe(0.3);
    expect(roundPoints(59.95)).toBe(60);
    expect(roundPoints(1.25)).toBe(1.3);
  });
});
