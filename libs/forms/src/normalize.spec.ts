import { foldFullWidth, normalizeText, trimText } from './normalize';

describe('normalizeText', () => {
  it.each([
    ['０１０－６２３４５６７８', '010-62345678'],
    ['　１３８００１３８０００　', '13800138000'],
    ['ｎａｍｅ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ', 'name@example.gov.cn'],
    ['ｈｔｔｐ：／／ｗｗｗ．ｇｏｖ．ｃｎ', 'http://www.gov.cn'],
    ['  plain  ', 'plain'],
    ['京ＩＣＰ备05070218号', '京ICP备05070218号'],
    ['010－1234567；010－7654321', '010-1234567;010-7654321'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('leaves Chinese characters and punctuation outside the full-width ASCII block alone', () => {
    expect(foldFullWidth('某某局、办公室。')).toBe('某某局、办公室。');
  });

  it('trims free text, ideographic spaces included, without folding its brackets', () => {
    expect(trimText('　某某局（某某办）　')).toBe('某某局（某某办）');
  });
});
