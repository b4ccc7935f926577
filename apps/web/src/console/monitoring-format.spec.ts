import { availabilityText, causeText, evidenceLines, failuresText } from './monitoring-format';

describe('availabilityText', () => {
  it('shows the server’s percentage, else computes it from the visits', () => {
    expect(availabilityText({ availability: 95.83, homepageProbes: 24, homepageFailures: 1 })).toBe('95.83%');
    expect(availabilityText({ availability: 100, homepageProbes: 24, homepageFailures: 0 })).toBe('100%');
    expect(availabilityText({ homepageProbes: 24, homepageFailures: 3 })).toBe('87.5%');
    expect(availabilityText({ availability: null, homepageProbes: 0, homepageFailures: 0 })).toBe('—');
  });
});

describe('failuresText', () => {
  it('names each cause in words, most first, and leaves out zeros', () => {
    expect(failuresText({ dns: 1, timeout: 3, tls: 0 })).toBe('访问超时 3 次；域名解析失败 1 次');
    expect(failuresText({})).toBe('—');
    expect(failuresText({ 'something-new': 2 })).toBe('something-new 2 次');
  });

  it('causeText falls back to the code, and says so when there is none', () => {
    expect(causeText('http-status')).toBe('HTTP 状态码异常');
    expect(causeText(null)).toBe('原因不明');
  });
});

describe('evidenceLines', () => {
  it('labels the evidence of 站点无法访问: days, counts and causes', () => {
    const lines = evidenceLines({
      days: [{ day: '2026-12-01', probes: 24, failures: 3 }],
      visits: 168,
      failures: 12,
      percent: 7.14,
      failuresByCause: { timeout: 12 },
    });
    expect(lines).toEqual([
      { label: '监测日', value: ['日期 2026-12-01，访问 24，打不开次数 3'] },
      { label: '首页访问次数', value: '168' },
      { label: '打不开次数', value: '12' },
      { label: '打不开比例（%）', value: '7.14' },
      { label: '打不开的原因', value: '访问超时 12 次' },
    ]);
  });

  it('lists columns and links with their address as is, leaves out empty lists', () => {
    const lines = evidenceLines({
      notUpdated: [{ name: '工作动态', url: 'http://a.gov.cn/dt/', newest: null }],
      longNotUpdated: [],
      broken: [{ url: 'http://a.gov.cn/x', cause: 'http-status', status: 404, day: '2026-12-01' }],
      blankDay: null,
    });
    expect(lines).toEqual([
      { label: '未按期更新的栏目', value: ['名称 工作动态，http://a.gov.cn/dt/'] },
      { label: '失效链接', value: ['http://a.gov.cn/x，原因 HTTP 状态码异常，HTTP 状态码 404，日期 2026-12-01'] },
      { label: '空白栏目所在日', value: '—' },
    ]);
  });

  it('reads a count of days as 监测天数, a list of days as 监测日', () => {
    expect(evidenceLines({ visits: 48, failures: 3, days: 2 })).toEqual([
      { label: '首页访问次数', value: '48' },
      { label: '打不开次数', value: '3' },
      { label: '监测天数', value: '2' },
    ]);
  });

  it('says 无 for a homepage without any date', () => {
    expect(evidenceLines({ monitoredDays: 14, newest: null })).toEqual([
      { label: '监测天数', value: '14' },
      { label: '最新信息日期', value: '无' },
    ]);
  });
});
