import { addressSearchCore } from './record.repository';

describe('the part of a search term that finds addresses in the index', () => {
  it('leaves out the scheme, www and .gov.cn every government address shares', () => {
    expect(addressSearchCore('www4242')).toBe('w4242');
    expect(addressSearchCore('www.hebei.gov.cn')).toBe('hebei');
    expect(addressSearchCore('HTTPS://WWW.Hebei.GOV.CN/')).toBe('Hebei');
    expect(addressSearchCore('http://www.site11.example.gov.cn')).toBe('site11.example');
  });

  it('is a part of the term itself, so every address holding the term holds it', () => {
    for (const term of ['www4242', 'www.hebei.gov.cn', 'http://www.site11', 'https://x1y2z3.cn/'])
      expect(term.toLowerCase()).toContain(addressSearchCore(term)!.toLowerCase());
  });

  it('keeps the whole term when nothing is boilerplate or what is left has no trigram', () => {
    for (const term of [
      'hebei',
      '第12345',
      'site11',
      'www',
      'www.a',
      'www.gov.cn',
      'http://www.x.y',
      '.gov.cn',
      'www4',
    ])
      expect(addressSearchCore(term)).toBeUndefined();
  });
});
